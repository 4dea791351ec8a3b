/* First-touch cost of anonymous memory, 4 KB pages vs transparent huge pages (madvise): gcc -O2 touch.c -o touch && ./touch && ./touch huge */
#include <stdio.h>
#include <sys/mman.h>
#include <time.h>
#include <string.h>
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec*1e6+t.tv_nsec/1e3;}
int main(int argc,char**argv){size_t sz=512UL<<20;int huge=argc>1;
for(int r=0;r<3;r++){char*p=mmap(0,sz+(2<<20),PROT_READ|PROT_WRITE,MAP_PRIVATE|MAP_ANONYMOUS,-1,0);
char*q=(char*)(((unsigned long)p+(2<<20)-1)&~((2UL<<20)-1));
if(huge)madvise(q,sz,MADV_HUGEPAGE);
double t0=now();for(size_t i=0;i<sz;i+=4096)q[i]=1;double t1=now();
printf("%s round %d: %.2f us per 4KB page, total %.0f ms\n",huge?"huge":"4k",r,(t1-t0)/(sz/4096),(t1-t0)/1000);
munmap(p,sz+(2<<20));}}
