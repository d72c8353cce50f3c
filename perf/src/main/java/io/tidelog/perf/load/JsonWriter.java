package io.tidelog.perf.load;

/**
 * A minimal streaming JSON writer: objects, arrays, strings, numbers, booleans, null. Non-finite
 * numbers are written as null (JSON has no NaN). Commas are placed automatically.
 */
final class JsonWriter {

    private final StringBuilder out = new StringBuilder();
    private boolean needComma;
    private int depth;

    JsonWriter beginObject() {
        value();
        out.append('{');
        depth++;
        needComma = false;
        return this;
    }

    JsonWriter endObject() {
        depth--;
        newline();
        out.append('}');
        needComma = true;
        return this;
    }

    JsonWriter beginArray() {
        value();
        out.append('[');
        depth++;
        needComma = false;
        return this;
    }

    JsonWriter endArray() {
        depth--;
        out.append(']');
        needComma = true;
        return this;
    }

    JsonWriter name(String name) {
        if (needComma) {
            out.append(',');
        }
        newline();
        string(name);
        out.append(": ");
        needComma = false;
        return this;
    }

    JsonWriter value(String s) {
        value();
        if (s == null) {
            out.append("null");
        } else {
            string(s);
        }
        return this;
    }

    JsonWriter value(long v) {
        value();
        out.append(v);
        return this;
    }

    JsonWriter value(double v) {
        value();
        if (Double.isFinite(v)) {
            out.append(v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v));
        } else {
            out.append("null");
        }
        return this;
    }

    JsonWriter value(boolean v) {
        value();
        out.append(v);
        return this;
    }

    JsonWriter nullValue() {
        value();
        out.append("null");
        return this;
    }

    JsonWriter field(String name, String v) {
        return name(name).value(v);
    }

    JsonWriter field(String name, long v) {
        return name(name).value(v);
    }

    JsonWriter field(String name, double v) {
        return name(name).value(v);
    }

    JsonWriter field(String name, boolean v) {
        return name(name).value(v);
    }

    private void value() {
        if (needComma) {
            out.append(", ");
        }
        needComma = true;
    }

    private void newline() {
        out.append('\n');
        for (int i = 0; i < depth; i++) {
            out.append("  ");
        }
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
