/**
 * JMH micro-benchmarks of the hot paths (RESP decoding, reply encoding, keyspace get/put, the
 * whole dispatch path without the network). Run with {@code bench/jmh.sh}; never part of the test
 * suite (their names end in Benchmark, which Surefire does not pick up).
 */
package io.keyline.jmh;
