package io.tidelog.protocol.generator;

import io.tidelog.protocol.ApiKey;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The parsed form of {@code messages.schema}: messages, their fields and structs. Used by the
 * generator to write the message classes and by the oracle and fuzz tests to drive them.
 */
public final class MessageSchema {

    public static final Path SCHEMA_FILE = Path.of("src/main/java/io/tidelog/protocol/message/messages.schema");

    /** Field element types. */
    public enum Kind {
        INT8(1), INT16(2), INT32(4), INT64(8), UINT16(2), FLOAT64(8), BOOL(1),
        STRING(-1), BYTES(-1), UUID(16), RECORDS(-1), STRUCT(-1);

        /** Fixed encoded size, or -1. */
        public final int fixedSize;

        Kind(int fixedSize) {
            this.fixedSize = fixedSize;
        }
    }

    /** Inclusive version range; {@code high} is Short.MAX_VALUE for "and later". */
    public record Versions(int low, int high) {
        public static final Versions ALL = new Versions(0, Short.MAX_VALUE);
        public static final Versions NONE = new Versions(1, 0);

        static Versions parse(String text) {
            if (text.endsWith("+")) {
                return new Versions(Integer.parseInt(text.substring(1, text.length() - 1)), Short.MAX_VALUE);
            }
            String[] bounds = text.substring(1).split("-");
            return new Versions(Integer.parseInt(bounds[0]), Integer.parseInt(bounds[bounds.length - 1]));
        }

        public boolean contains(int version) {
            return version >= low && version <= high;
        }

        public boolean isEmpty() {
            return low > high;
        }

        public Versions intersect(Versions other) {
            return new Versions(Math.max(low, other.low), Math.min(high, other.high));
        }
    }

    /** One field. {@code structName}/{@code fields} are set for struct and struct-array fields. */
    public record Field(String name, Kind kind, boolean array, String structName, Versions versions,
                        Versions nullableVersions, int tag, String defaultValue, boolean ignorable,
                        List<Field> fields) {

        public boolean tagged() {
            return tag >= 0;
        }

        public String capitalized() {
            return Character.toUpperCase(name.charAt(0)) + name.substring(1);
        }
    }

    /** What a message is: a request or response body of an API, or a data struct without one. */
    public enum Role { REQUEST, RESPONSE, DATA }

    /**
     * One message: its class name, role, API (null for data structs), versions, flexible versions
     * and top-level fields. An API message's versions are its ApiKey's decodable range; a data
     * struct's are declared in the schema, and it is never flexible.
     */
    public record Message(String name, Role role, ApiKey api, Versions versions, Versions flexibleVersions,
                          List<Field> fields) {

        public boolean request() {
            return role == Role.REQUEST;
        }

        public boolean response() {
            return role == Role.RESPONSE;
        }

        /** True for request and response bodies, false for data structs. */
        public boolean isApi() {
            return api != null;
        }
    }

    private final List<Message> messages;

    private MessageSchema(List<Message> messages) {
        this.messages = messages;
    }

    public List<Message> messages() {
        return messages;
    }

    public Message message(String name) {
        return messages.stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no message " + name));
    }

    public static MessageSchema load() throws IOException {
        return parse(Files.readAllLines(SCHEMA_FILE));
    }

    public static MessageSchema parse(List<String> lines) {
        List<Message> messages = new ArrayList<>();
        int[] index = {0};
        while (index[0] < lines.size()) {
            String line = lines.get(index[0]);
            if (isBlank(line)) {
                index[0]++;
                continue;
            }
            String[] words = line.trim().split("\\s+");
            if (!words[0].equals("message") || words.length != 4
                    || !List.of("request", "response", "data").contains(words[2])) {
                throw new IllegalArgumentException("line " + (index[0] + 1)
                        + ": expected 'message <Name> request|response <ApiKey>' or 'message <Name> data vA-B'");
            }
            index[0]++;
            Role role = Role.valueOf(words[2].toUpperCase(Locale.ROOT));
            ApiKey api = role == Role.DATA ? null : ApiKey.valueOf(words[3]);
            Versions range = api == null ? Versions.parse(words[3])
                    : new Versions(api.lowestDecodableVersion(), api.maxVersion());
            Versions flexible = api == null ? Versions.NONE : new Versions(api.firstFlexibleVersion(), Short.MAX_VALUE);
            List<Field> fields = parseFields(lines, index, 2, range);
            messages.add(new Message(words[1], role, api, range, flexible, fields));
        }
        return new MessageSchema(messages);
    }

    private static List<Field> parseFields(List<String> lines, int[] index, int indent, Versions parent) {
        List<Field> fields = new ArrayList<>();
        while (index[0] < lines.size()) {
            String line = lines.get(index[0]);
            if (isBlank(line)) {
                index[0]++;
                continue;
            }
            int lineIndent = line.length() - line.stripLeading().length();
            if (lineIndent < indent) {
                break;
            }
            if (lineIndent != indent) {
                throw new IllegalArgumentException("line " + (index[0] + 1) + ": unexpected indentation");
            }
            index[0]++;
            fields.add(parseField(line.trim().split("\\s+"), lines, index, indent, parent));
        }
        return fields;
    }

    private static Field parseField(String[] words, List<String> lines, int[] index, int indent, Versions parent) {
        String name = words[0];
        String type = words[1];
        boolean array = type.startsWith("[]");
        String element = array ? type.substring(2) : type;
        Kind kind;
        String structName = null;
        if (Character.isUpperCase(element.charAt(0))) {
            kind = Kind.STRUCT;
            structName = element;
        } else {
            kind = Kind.valueOf(element.toUpperCase(Locale.ROOT));
        }
        Versions versions = parent;
        Versions nullable = Versions.NONE;
        int tag = -1;
        String defaultValue = null;
        boolean ignorable = false;
        for (int i = 2; i < words.length; i++) {
            String word = words[i];
            if (word.startsWith("v")) {
                versions = Versions.parse(word).intersect(parent);
            } else if (word.equals("nullable")) {
                nullable = Versions.ALL;
            } else if (word.startsWith("nullable=")) {
                nullable = Versions.parse(word.substring("nullable=".length()));
            } else if (word.startsWith("tag=")) {
                tag = Integer.parseInt(word.substring(4));
            } else if (word.startsWith("default=")) {
                defaultValue = word.substring(8);
            } else if (word.equals("ignorable")) {
                ignorable = true;
            } else {
                throw new IllegalArgumentException("field " + name + ": unknown attribute " + word);
            }
        }
        nullable = nullable.intersect(versions);
        List<Field> children = kind == Kind.STRUCT ? parseFields(lines, index, indent + 2, versions) : List.of();
        return new Field(name, kind, array, structName, versions, nullable, tag, defaultValue, ignorable, children);
    }

    private static boolean isBlank(String line) {
        String trimmed = line.trim();
        return trimmed.isEmpty() || trimmed.startsWith("#");
    }
}
