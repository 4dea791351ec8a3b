package io.keyline.scripting;

import java.util.Locale;

import org.luaj.vm2.Buffer;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * Lua 5.1's {@code string.format} for the floating-point conversions. LuaJ 3.0.1 ignores width and
 * precision for {@code %e %f %g} (it prints {@code String.valueOf(x)}), so {@code %5.2f} of 1/3 gave
 * "0.3333333333333333" where Redis gives " 0.33". Every other conversion is handed, one at a time,
 * to LuaJ's own implementation, which is right for them.
 */
final class LuaFormat extends VarArgFunction {
    private final LuaValue luaj;

    LuaFormat(LuaValue luaj) {
        this.luaj = luaj;
    }

    @Override
    public Varargs invoke(Varargs a) {
        LuaString fmt = a.checkstring(1);
        int n = fmt.length();
        Buffer out = new Buffer(n + 16);
        int arg = 1;
        for (int i = 0; i < n; ) {
            int ch = fmt.luaByte(i);
            if (ch != '%') {
                out.append((byte) ch);
                i++;
                continue;
            }
            int start = i++;
            if (i < n && fmt.luaByte(i) == '%') {
                out.append((byte) '%');
                i++;
                continue;
            }
            while (i < n && "-+ #0".indexOf(fmt.luaByte(i)) >= 0) i++;
            while (i < n && Character.isDigit(fmt.luaByte(i))) i++;
            if (i < n && fmt.luaByte(i) == '.') {
                i++;
                while (i < n && Character.isDigit(fmt.luaByte(i))) i++;
            }
            if (i >= n) throw new LuaError("invalid option '%' to 'format'");
            int conv = fmt.luaByte(i++);
            String spec = fmt.substring(start, i).tojstring();
            arg++;
            if ("eEfgG".indexOf(conv) >= 0) {
                out.append(formatDouble(spec, (char) conv, a.checkdouble(arg)));
            } else {
                out.append(luaj.invoke(LuaValue.varargsOf(LuaValue.valueOf(spec), a.arg(arg))).checkstring(1));
            }
        }
        return out.tostring();
    }

    /** C printf of one double conversion; %g strips trailing zeros as C does (Java's %g does not). */
    static String formatDouble(String spec, char conv, double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            // glibc prints NaN's sign (x86's 0/0 is negative: "-nan"), as LuaNumberText.format does
            String s = Double.isNaN(d) ? (Double.doubleToRawLongBits(d) < 0 ? "-nan" : "nan") : d > 0 ? "inf" : "-inf";
            if (Character.isUpperCase(conv)) s = s.toUpperCase(Locale.ROOT);
            String flagsWidth = spec.substring(1, spec.length() - 1).replaceAll("\\..*", "").replace("0", "");
            return String.format(Locale.ROOT, "%" + flagsWidth + "s", s);
        }
        if (conv != 'g' && conv != 'G') return String.format(Locale.ROOT, spec, d);
        int dot = spec.indexOf('.');
        String flagsWidth = spec.substring(1, dot >= 0 ? dot : spec.length() - 1);
        int p = dot >= 0 ? parse(spec.substring(dot + 1, spec.length() - 1)) : 6;
        if (p == 0) p = 1;
        boolean alt = flagsWidth.indexOf('#') >= 0;
        String flags = flagsWidth.replace("#", "");
        String e = String.format(Locale.ROOT, "%." + (p - 1) + "e", d);
        int x = Integer.parseInt(e.substring(e.indexOf('e') + 1));
        String body;
        if (x >= -4 && x < p) {
            body = String.format(Locale.ROOT, "%." + (p - 1 - x) + "f", d);
            if (!alt) body = strip(body);
        } else {
            String mant = e.substring(0, e.indexOf('e'));
            if (!alt) mant = strip(mant);
            body = mant + e.substring(e.indexOf('e'));
        }
        if (conv == 'G') body = body.toUpperCase(Locale.ROOT);
        if (flags.indexOf('+') >= 0 && d >= 0) body = "+" + body;
        else if (flags.indexOf(' ') >= 0 && d >= 0) body = " " + body;
        String width = flags.replaceAll("[-+ 0]", "");
        int w = width.isEmpty() ? 0 : Integer.parseInt(width);
        if (body.length() >= w) return body;
        String pad = (flags.indexOf('0') >= 0 && flags.indexOf('-') < 0 ? "0" : " ").repeat(w - body.length());
        if (flags.indexOf('-') >= 0) return body + pad;
        if (pad.charAt(0) == '0') {
            int sign = body.startsWith("-") || body.startsWith("+") || body.startsWith(" ") ? 1 : 0;
            return body.substring(0, sign) + pad + body.substring(sign);
        }
        return pad + body;
    }

    private static int parse(String s) {
        return s.isEmpty() ? 0 : Integer.parseInt(s);
    }

    private static String strip(String s) {
        if (s.indexOf('.') < 0) return s;
        int end = s.length();
        while (s.charAt(end - 1) == '0') end--;
        if (s.charAt(end - 1) == '.') end--;
        return s.substring(0, end);
    }
}
