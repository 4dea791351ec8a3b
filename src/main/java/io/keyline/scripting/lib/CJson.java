package io.keyline.scripting.lib;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Redis's lua_cjson.c (Lua CJSON 2.1.0): cjson.encode/decode and the configuration functions, one configuration
 * per instance (as the C library keeps it in an upvalue; {@code cjson.new} makes another).
 */
public final class CJson {
    /** cjson.null: the NULL light userdata. */
    public static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "userdata: (nil)";
        }
    };

    private static final String[] CHAR2ESCAPE = new String[256];

    static {
        for (int c = 0; c < 32; c++) {
            CHAR2ESCAPE[c] = String.format("\\u%04x", c);
        }
        CHAR2ESCAPE['\b'] = "\\b";
        CHAR2ESCAPE['\t'] = "\\t";
        CHAR2ESCAPE['\n'] = "\\n";
        CHAR2ESCAPE['\f'] = "\\f";
        CHAR2ESCAPE['\r'] = "\\r";
        CHAR2ESCAPE['"'] = "\\\"";
        CHAR2ESCAPE['\\'] = "\\\\";
        CHAR2ESCAPE['/'] = "\\/";
        CHAR2ESCAPE[127] = "\\u007f";
    }

    // configuration (DEFAULT_* of lua_cjson.c)
    private boolean sparseConvert = false;
    private long sparseRatio = 2;
    private long sparseSafe = 10;
    private long encodeMaxDepth = 1000;
    private long decodeMaxDepth = 1000;
    private int encodeInvalidNumbers = 0; // 0 off, 1 on, 2 null
    private boolean decodeInvalidNumbers = true;
    private boolean keepBuffer = true;
    private int precision = 14;

    public static LuaModule module() {
        return new CJson().toModule();
    }

    public LuaModule toModule() {
        return new LuaModule("cjson")
                .function("encode", this::encode)
                .function("decode", this::decode)
                .function("encode_sparse_array", this::encodeSparseArray)
                .function("encode_max_depth", a -> integerOption(a, "encode_max_depth", 1, Integer.MAX_VALUE, true))
                .function("decode_max_depth", a -> integerOption(a, "decode_max_depth", 1, Integer.MAX_VALUE, false))
                .function("encode_number_precision", this::encodeNumberPrecision)
                .function("encode_keep_buffer", this::encodeKeepBuffer)
                .function("encode_invalid_numbers", this::encodeInvalidNumbers)
                .function("decode_invalid_numbers", this::decodeInvalidNumbers)
                .function("new", a -> new Object[] {module()})
                .constant("null", NULL)
                .constant("_NAME", LuaArgs.bytes("cjson"))
                .constant("_VERSION", LuaArgs.bytes("2.1.0"));
    }

    // ---- configuration -------------------------------------------------------------------------------------

    private static void argInit(Object[] args, int n, String function) {
        if (args.length > n) {
            throw LuaLibError.arg(n + 1, function, "found too many arguments");
        }
    }

    /** json_enum_option with the boolean options {"off", "on"}: returns the new setting or null if unchanged. */
    private static Boolean boolOption(Object[] args, int n, String function) {
        if (LuaArgs.isNoneOrNil(args, n)) {
            return null;
        }
        Object v = args[n - 1];
        if (v instanceof Boolean b) {
            return b;
        }
        int opt = checkOption(args, n, function, new String[] {"off", "on"});
        return opt == 1;
    }

    private static int checkOption(Object[] args, int n, String function, String[] options) {
        String name = new String(LuaArgs.checkString(args, n, function), StandardCharsets.ISO_8859_1);
        for (int i = 0; i < options.length; i++) {
            if (options[i].equals(name)) {
                return i;
            }
        }
        throw LuaLibError.arg(n, function, "invalid option '" + name + "'");
    }

    private static Long intOption(Object[] args, int n, String function, long min, long max) {
        if (LuaArgs.isNoneOrNil(args, n)) {
            return null;
        }
        long value = LuaArgs.checkInteger(args, n, function);
        if (!(min <= value && value <= max)) {
            throw LuaLibError.arg(1, function, "expected integer between " + min + " and " + max);
        }
        return value;
    }

    private Object[] encodeSparseArray(Object[] args) {
        String f = "encode_sparse_array";
        argInit(args, 3, f);
        Boolean convert = boolOption(args, 1, f);
        if (convert != null) {
            sparseConvert = convert;
        }
        Long ratio = intOption(args, 2, f, 0, Integer.MAX_VALUE);
        if (ratio != null) {
            sparseRatio = ratio;
        }
        Long safe = intOption(args, 3, f, 0, Integer.MAX_VALUE);
        if (safe != null) {
            sparseSafe = safe;
        }
        return new Object[] {sparseConvert, (double) sparseRatio, (double) sparseSafe};
    }

    private Object[] integerOption(Object[] args, String f, long min, long max, boolean encode) {
        argInit(args, 1, f);
        Long v = intOption(args, 1, f, min, max);
        if (v != null) {
            if (encode) {
                encodeMaxDepth = v;
            } else {
                decodeMaxDepth = v;
            }
        }
        return new Object[] {(double) (encode ? encodeMaxDepth : decodeMaxDepth)};
    }

    private Object[] encodeNumberPrecision(Object[] args) {
        String f = "encode_number_precision";
        argInit(args, 1, f);
        Long v = intOption(args, 1, f, 1, 14);
        if (v != null) {
            precision = v.intValue();
        }
        return new Object[] {(double) precision};
    }

    private Object[] encodeKeepBuffer(Object[] args) {
        String f = "encode_keep_buffer";
        argInit(args, 1, f);
        Boolean v = boolOption(args, 1, f);
        if (v != null) {
            keepBuffer = v;
        }
        return new Object[] {keepBuffer};
    }

    private Object[] decodeInvalidNumbers(Object[] args) {
        String f = "decode_invalid_numbers";
        argInit(args, 1, f);
        Boolean v = boolOption(args, 1, f);
        if (v != null) {
            decodeInvalidNumbers = v;
        }
        return new Object[] {decodeInvalidNumbers};
    }

    private Object[] encodeInvalidNumbers(Object[] args) {
        String f = "encode_invalid_numbers";
        argInit(args, 1, f);
        if (!LuaArgs.isNoneOrNil(args, 1)) {
            if (args[0] instanceof Boolean b) {
                encodeInvalidNumbers = b ? 1 : 0;
            } else {
                encodeInvalidNumbers = checkOption(args, 1, f, new String[] {"off", "on", "null"});
            }
        }
        if (encodeInvalidNumbers == 2) {
            return new Object[] {LuaArgs.bytes("null")};
        }
        return new Object[] {encodeInvalidNumbers == 1};
    }

    // ---- encode --------------------------------------------------------------------------------------------

    public Object[] encode(Object[] args) {
        if (args.length != 1) {
            throw LuaLibError.arg(1, "encode", "expected 1 argument");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        appendData(args[0], 0, out);
        return new Object[] {out.toByteArray()};
    }

    /** cjson.encode(value) for Java callers. */
    public byte[] encode(Object value) {
        return (byte[]) encode(new Object[] {value})[0];
    }

    private static LuaLibError exception(Object value, String reason) {
        return new LuaLibError("Cannot serialise " + LuaArgs.typeName(value) + ": " + reason);
    }

    private void appendData(Object v, int depth, ByteArrayOutputStream out) {
        if (v instanceof byte[] s) {
            appendString(s, out);
        } else if (v instanceof Double d) {
            appendNumber(d, out);
        } else if (v instanceof Boolean b) {
            out.writeBytes(LuaArgs.bytes(b ? "true" : "false"));
        } else if (v instanceof LuaTableView t) {
            depth++;
            if (depth > encodeMaxDepth) {
                throw new LuaLibError("Cannot serialise, excessive nesting (" + depth + ")");
            }
            long len = arrayLength(t);
            if (len > 0) {
                out.write('[');
                for (long i = 1; i <= len; i++) {
                    if (i > 1) {
                        out.write(',');
                    }
                    appendData(t.rawGet(i), depth, out);
                }
                out.write(']');
            } else {
                appendObject(t, depth, out);
            }
        } else if (v == null || v == NULL) {
            out.writeBytes(LuaArgs.bytes("null"));
        } else {
            throw exception(v, "type not supported");
        }
    }

    private long arrayLength(LuaTableView t) {
        // C ints: max = k converts as x86's cvttsd2si (INT_MIN when out of range)
        int max = 0;
        int items = 0;
        for (Map.Entry<Object, Object> e : t.pairs()) {
            if (e.getKey() instanceof Double k && k != 0) {
                if (Math.floor(k) == k && k >= 1) {
                    if (k > max) {
                        max = k >= 2147483648.0 ? Integer.MIN_VALUE : (int) (double) k;
                    }
                    items++;
                    continue;
                }
            }
            return -1;
        }
        if (sparseRatio > 0 && max > (long) items * sparseRatio && max > sparseSafe) {
            if (!sparseConvert) {
                throw exception(t, "excessively sparse array");
            }
            return -1;
        }
        return max;
    }

    private void appendObject(LuaTableView t, int depth, ByteArrayOutputStream out) {
        out.write('{');
        boolean comma = false;
        for (Map.Entry<Object, Object> e : t.pairs()) {
            if (comma) {
                out.write(',');
            } else {
                comma = true;
            }
            Object key = e.getKey();
            if (key instanceof Double d) {
                out.write('"');
                appendNumber(d, out);
                out.writeBytes(LuaArgs.bytes("\":"));
            } else if (key instanceof byte[] s) {
                appendString(s, out);
                out.write(':');
            } else {
                throw exception(key, "table key must be a number or string");
            }
            appendData(e.getValue(), depth, out);
        }
        out.write('}');
    }

    private void appendNumber(double num, ByteArrayOutputStream out) {
        if (encodeInvalidNumbers == 0) {
            if (Double.isInfinite(num) || Double.isNaN(num)) {
                throw exception(num, "must not be NaN or Inf");
            }
        } else if (encodeInvalidNumbers == 1) {
            // Redis's copy prints them with %.14g as well ("inf", "-inf", "nan", "-nan")
        } else if (Double.isInfinite(num) || Double.isNaN(num)) {
            out.writeBytes(LuaArgs.bytes("null"));
            return;
        }
        out.writeBytes(LuaArgs.bytes(NumberFormat.g(num, precision)));
    }

    private static void appendString(byte[] s, ByteArrayOutputStream out) {
        out.write('"');
        for (byte b : s) {
            String esc = CHAR2ESCAPE[b & 0xff];
            if (esc != null) {
                out.writeBytes(LuaArgs.bytes(esc));
            } else {
                out.write(b);
            }
        }
        out.write('"');
    }

    // ---- decode --------------------------------------------------------------------------------------------

    private enum T {
        T_OBJ_BEGIN, T_OBJ_END, T_ARR_BEGIN, T_ARR_END, T_STRING, T_NUMBER, T_BOOLEAN, T_NULL, T_COLON, T_COMMA,
        T_END, T_WHITESPACE, T_ERROR, T_UNKNOWN
    }

    private static final class Token {
        T type;
        int index;
        Object value;
        String error;
    }

    private final class Parser {
        final byte[] data;
        final int len; // the C string ends at the first NUL
        int ptr;
        int depth;

        Parser(byte[] data) {
            this.data = data;
            int n = 0;
            while (n < data.length && data[n] != 0) {
                n++;
            }
            this.len = n;
        }

        int ch(int i) {
            return i < len ? (data[i] & 0xff) : 0;
        }

        void setError(Token t, String err) {
            t.type = T.T_ERROR;
            t.index = ptr;
            t.error = err;
        }

        boolean startsWith(String w) {
            if (ptr + w.length() > len) {
                return false;
            }
            for (int i = 0; i < w.length(); i++) {
                if (data[ptr + i] != w.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        boolean startsWithIgnoreCase(int at, String w) {
            if (at + w.length() > len) {
                return false;
            }
            for (int i = 0; i < w.length(); i++) {
                if (Character.toLowerCase((char) data[at + i]) != w.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        T ch2token(int c) {
            switch (c) {
                case '{':
                    return T.T_OBJ_BEGIN;
                case '}':
                    return T.T_OBJ_END;
                case '[':
                    return T.T_ARR_BEGIN;
                case ']':
                    return T.T_ARR_END;
                case ',':
                    return T.T_COMMA;
                case ':':
                    return T.T_COLON;
                case 0:
                    return T.T_END;
                case ' ', '\t', '\n', '\r':
                    return T.T_WHITESPACE;
                case 'f', 'i', 'I', 'n', 'N', 't', '"', '+', '-':
                    return T.T_UNKNOWN;
                default:
                    return (c >= '0' && c <= '9') ? T.T_UNKNOWN : T.T_ERROR;
            }
        }

        boolean isInvalidNumber() {
            int p = ptr;
            if (ch(p) == '+') {
                return true;
            }
            if (ch(p) == '-') {
                p++;
            }
            if (ch(p) == '0') {
                int ch2 = ch(p + 1);
                return (ch2 | 0x20) == 'x' || ('0' <= ch2 && ch2 <= '9');
            } else if (ch(p) <= '9') {
                return false;
            }
            return startsWithIgnoreCase(p, "inf") || startsWithIgnoreCase(p, "nan");
        }

        void numberToken(Token t) {
            CStrtod.Result r = CStrtod.parse(data, ptr, len);
            if (r == null || r.end() == ptr) {
                setError(t, "invalid number");
                return;
            }
            t.type = T.T_NUMBER;
            t.value = r.value();
            ptr = r.end();
        }

        void next(Token t) {
            int c;
            while (true) {
                c = ch(ptr);
                t.type = ch2token(c);
                if (t.type != T.T_WHITESPACE) {
                    break;
                }
                ptr++;
            }
            t.index = ptr;
            if (t.type == T.T_ERROR) {
                setError(t, "invalid token");
                return;
            }
            if (t.type == T.T_END) {
                return;
            }
            if (t.type != T.T_UNKNOWN) {
                ptr++;
                return;
            }
            if (c == '"') {
                stringToken(t);
                return;
            } else if (c == '-' || ('0' <= c && c <= '9')) {
                if (!decodeInvalidNumbers && isInvalidNumber()) {
                    setError(t, "invalid number");
                    return;
                }
                numberToken(t);
                return;
            } else if (startsWith("true")) {
                t.type = T.T_BOOLEAN;
                t.value = Boolean.TRUE;
                ptr += 4;
                return;
            } else if (startsWith("false")) {
                t.type = T.T_BOOLEAN;
                t.value = Boolean.FALSE;
                ptr += 5;
                return;
            } else if (startsWith("null")) {
                t.type = T.T_NULL;
                ptr += 4;
                return;
            } else if (decodeInvalidNumbers && isInvalidNumber()) {
                numberToken(t);
                return;
            }
            setError(t, "invalid token");
        }

        void stringToken(Token t) {
            ptr++;
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            int c;
            while ((c = ch(ptr)) != '"') {
                if (c == 0) {
                    setError(t, "unexpected end of string");
                    return;
                }
                if (c == '\\') {
                    int e = escape2char(ch(ptr + 1));
                    if (e == 0) {
                        setError(t, "invalid escape code");
                        return;
                    }
                    if (e == 'u') {
                        if (unicodeEscape(buf)) {
                            continue;
                        }
                        setError(t, "invalid unicode escape code");
                        return;
                    }
                    ptr++;
                    c = e;
                }
                buf.write(c);
                ptr++;
            }
            ptr++;
            t.type = T.T_STRING;
            t.value = buf.toByteArray();
        }

        int escape2char(int c) {
            switch (c) {
                case '"':
                    return '"';
                case '\\':
                    return '\\';
                case '/':
                    return '/';
                case 'b':
                    return '\b';
                case 't':
                    return '\t';
                case 'n':
                    return '\n';
                case 'f':
                    return '\f';
                case 'r':
                    return '\r';
                case 'u':
                    return 'u';
                default:
                    return 0;
            }
        }

        int hex4(int at) {
            int v = 0;
            for (int i = 0; i < 4; i++) {
                int d = Character.digit((char) ch(at + i), 16);
                if (d < 0 || ch(at + i) == 0) {
                    return -1;
                }
                v = v * 16 + d;
            }
            return v;
        }

        /** json_append_unicode_escape: \\uXXXX (a surrogate pair as two escapes) as UTF-8; false if invalid. */
        boolean unicodeEscape(ByteArrayOutputStream buf) {
            int escapeLen = 6;
            int cp = hex4(ptr + 2);
            if (cp < 0) {
                return false;
            }
            if ((cp & 0xF800) == 0xD800) {
                if ((cp & 0xFC00) == 0xD800) {
                    if (ch(ptr + 6) != '\\' || ch(ptr + 7) != 'u') {
                        return false;
                    }
                    int low = hex4(ptr + 8);
                    if (low < 0 || (low & 0xFC00) != 0xDC00) {
                        return false;
                    }
                    cp = (((cp & 0x3FF) << 10) | (low & 0x3FF)) + 0x10000;
                    escapeLen = 12;
                } else {
                    return false;
                }
            }
            if (cp <= 0x7F) {
                buf.write(cp);
            } else if (cp <= 0x7FF) {
                buf.write(0xC0 | (cp >> 6));
                buf.write(0x80 | (cp & 0x3F));
            } else if (cp <= 0xFFFF) {
                buf.write(0xE0 | (cp >> 12));
                buf.write(0x80 | ((cp >> 6) & 0x3F));
                buf.write(0x80 | (cp & 0x3F));
            } else {
                buf.write(0xF0 | (cp >> 18));
                buf.write(0x80 | ((cp >> 12) & 0x3F));
                buf.write(0x80 | ((cp >> 6) & 0x3F));
                buf.write(0x80 | (cp & 0x3F));
            }
            ptr += escapeLen;
            return true;
        }

        LuaLibError parseError(String expected, Token t) {
            String found = t.type == T.T_ERROR ? t.error : t.type.name();
            return new LuaLibError("Expected " + expected + " but found " + found + " at character " + (t.index + 1));
        }

        void descend() {
            depth++;
            if (depth > decodeMaxDepth) {
                throw new LuaLibError("Found too many nested data structures (" + depth + ") at character " + ptr);
            }
        }

        Object value(Token t) {
            switch (t.type) {
                case T_STRING, T_NUMBER, T_BOOLEAN:
                    return t.value;
                case T_OBJ_BEGIN:
                    return object();
                case T_ARR_BEGIN:
                    return array();
                case T_NULL:
                    return NULL;
                default:
                    throw parseError("value", t);
            }
        }

        Object object() {
            descend();
            LuaTableData table = new LuaTableData();
            Token t = new Token();
            next(t);
            if (t.type == T.T_OBJ_END) {
                depth--;
                return table;
            }
            while (true) {
                if (t.type != T.T_STRING) {
                    throw parseError("object key string", t);
                }
                Object key = t.value;
                next(t);
                if (t.type != T.T_COLON) {
                    throw parseError("colon", t);
                }
                next(t);
                table.rawSet(key, value(t));
                next(t);
                if (t.type == T.T_OBJ_END) {
                    depth--;
                    return table;
                }
                if (t.type != T.T_COMMA) {
                    throw parseError("comma or object end", t);
                }
                next(t);
            }
        }

        Object array() {
            descend();
            LuaTableData table = new LuaTableData();
            Token t = new Token();
            next(t);
            if (t.type == T.T_ARR_END) {
                depth--;
                return table;
            }
            for (long i = 1; ; i++) {
                table.append((double) i, value(t));
                next(t);
                if (t.type == T.T_ARR_END) {
                    depth--;
                    return table;
                }
                if (t.type != T.T_COMMA) {
                    throw parseError("comma or array end", t);
                }
                next(t);
            }
        }
    }

    public Object[] decode(Object[] args) {
        if (args.length != 1) {
            throw LuaLibError.arg(1, "decode", "expected 1 argument");
        }
        byte[] data = LuaArgs.checkString(args, 1, "decode");
        return new Object[] {decode(data)};
    }

    /** cjson.decode(text) for Java callers. */
    public Object decode(byte[] data) {
        if (data.length >= 2 && (data[0] == 0 || data[1] == 0)) {
            throw new LuaLibError("JSON parser does not support UTF-16 or UTF-32");
        }
        Parser p = new Parser(data);
        Token t = new Token();
        p.next(t);
        Object v = p.value(t);
        p.next(t);
        if (t.type != T.T_END) {
            throw p.parseError("the end", t);
        }
        return v;
    }
}
