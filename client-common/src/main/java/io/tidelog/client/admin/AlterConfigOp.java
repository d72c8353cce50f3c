package io.tidelog.client.admin;

import java.util.Objects;

/**
 * One change for IncrementalAlterConfigs: set a key, delete it (back to the inherited default),
 * or append to / subtract from a list-valued key.
 */
public record AlterConfigOp(String name, Op op, String value) {

    /** The operations with their wire ids. */
    public enum Op {
        SET(0), DELETE(1), APPEND(2), SUBTRACT(3);

        private final byte id;

        Op(int id) {
            this.id = (byte) id;
        }

        public byte id() {
            return id;
        }
    }

    public AlterConfigOp {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(op, "op");
        if (op != Op.DELETE && value == null) {
            throw new IllegalArgumentException(op + " of '" + name + "' needs a value");
        }
    }

    public static AlterConfigOp set(String name, String value) {
        return new AlterConfigOp(name, Op.SET, value);
    }

    public static AlterConfigOp delete(String name) {
        return new AlterConfigOp(name, Op.DELETE, null);
    }
}
