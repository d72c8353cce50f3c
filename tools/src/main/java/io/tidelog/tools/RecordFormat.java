package io.tidelog.tools;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.tidelog.client.consumer.ConsumerRecord;
import io.tidelog.protocol.record.Header;

/**
 * A {@code consume --format} template, parsed once: {@code %k} key, {@code %v} value, {@code %o}
 * offset, {@code %p} partition, {@code %t} topic, {@code %T} timestamp (epoch ms), {@code %h}
 * headers as {@code k=v,k=v}, {@code %%} a percent sign; {@code \n}, {@code \t} and {@code \\}
 * are escapes. Keys, values and headers print as UTF-8; a null key or value prints as {@code null}.
 */
final class RecordFormat {

    private enum Field { TEXT, KEY, VALUE, OFFSET, PARTITION, TOPIC, TIMESTAMP, HEADERS }

    private record Part(Field field, String text) {
    }

    private final List<Part> parts;

    private RecordFormat(List<Part> parts) {
        this.parts = parts;
    }

    /** @throws IllegalArgumentException naming an unknown {@code %x} or a trailing {@code %} */
    static RecordFormat parse(String template) {
        List<Part> parts = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if ((c != '%' && c != '\\') || i + 1 == template.length()) {
                if (c == '%') {
                    throw new IllegalArgumentException("format ends with a lone '%' (use %% for a percent sign)");
                }
                text.append(c);
                continue;
            }
            char next = template.charAt(++i);
            if (c == '\\') {
                text.append(switch (next) {
                    case 'n' -> "\n";
                    case 't' -> "\t";
                    case '\\' -> "\\";
                    default -> "\\" + next;
                });
                continue;
            }
            Field field = switch (next) {
                case 'k' -> Field.KEY;
                case 'v' -> Field.VALUE;
                case 'o' -> Field.OFFSET;
                case 'p' -> Field.PARTITION;
                case 't' -> Field.TOPIC;
                case 'T' -> Field.TIMESTAMP;
                case 'h' -> Field.HEADERS;
                case '%' -> null;
                default -> throw new IllegalArgumentException("unknown format field '%" + next
                        + "' (known: %k %v %o %p %t %T %h %%)");
            };
            if (field == null) {
                text.append('%');
                continue;
            }
            if (text.length() > 0) {
                parts.add(new Part(Field.TEXT, text.toString()));
                text.setLength(0);
            }
            parts.add(new Part(field, null));
        }
        if (text.length() > 0) {
            parts.add(new Part(Field.TEXT, text.toString()));
        }
        return new RecordFormat(List.copyOf(parts));
    }

    String format(ConsumerRecord<byte[], byte[]> record) {
        StringBuilder line = new StringBuilder();
        for (Part part : parts) {
            switch (part.field()) {
                case TEXT -> line.append(part.text());
                case KEY -> line.append(text(record.key()));
                case VALUE -> line.append(text(record.value()));
                case OFFSET -> line.append(record.offset());
                case PARTITION -> line.append(record.partition());
                case TOPIC -> line.append(record.topic());
                case TIMESTAMP -> line.append(record.timestamp());
                case HEADERS -> appendHeaders(line, record.headers());
                default -> throw new IllegalStateException(part.field().toString());
            }
        }
        return line.toString();
    }

    private static void appendHeaders(StringBuilder line, List<Header> headers) {
        for (int i = 0; i < headers.size(); i++) {
            if (i > 0) {
                line.append(',');
            }
            line.append(headers.get(i).key()).append('=').append(text(headers.get(i).value()));
        }
    }

    private static String text(byte[] bytes) {
        return bytes == null ? "null" : new String(bytes, StandardCharsets.UTF_8);
    }
}
