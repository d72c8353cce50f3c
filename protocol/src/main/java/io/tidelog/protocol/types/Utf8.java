package io.tidelog.protocol.types;

import java.nio.ByteBuffer;

/**
 * UTF-8 length and encoding of strings straight into a buffer, without the temporary byte array
 * {@code String.getBytes} would allocate. Matches {@code String.getBytes(UTF_8)} byte for byte,
 * including '?' for an unpaired surrogate.
 */
public final class Utf8 {

    private Utf8() {
    }

    public static int encodedLength(String s) {
        int length = s.length();
        int bytes = length;
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                continue;
            }
            if (c < 0x800) {
                bytes += 1;
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 2; // 4 bytes for two chars
                i++;
            } else if (Character.isSurrogate(c)) {
                continue; // unpaired surrogate: encoded as '?'
            } else {
                bytes += 2;
            }
        }
        return bytes;
    }

    public static void write(String s, ByteBuffer out) {
        int length = s.length();
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                out.put((byte) c);
            } else if (c < 0x800) {
                out.put((byte) (0xc0 | (c >> 6)));
                out.put((byte) (0x80 | (c & 0x3f)));
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1))) {
                int codePoint = Character.toCodePoint(c, s.charAt(++i));
                out.put((byte) (0xf0 | (codePoint >> 18)));
                out.put((byte) (0x80 | ((codePoint >> 12) & 0x3f)));
                out.put((byte) (0x80 | ((codePoint >> 6) & 0x3f)));
                out.put((byte) (0x80 | (codePoint & 0x3f)));
            } else if (Character.isSurrogate(c)) {
                out.put((byte) '?');
            } else {
                out.put((byte) (0xe0 | (c >> 12)));
                out.put((byte) (0x80 | ((c >> 6) & 0x3f)));
                out.put((byte) (0x80 | (c & 0x3f)));
            }
        }
    }
}
