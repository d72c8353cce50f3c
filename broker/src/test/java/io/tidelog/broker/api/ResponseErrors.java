package io.tidelog.broker.api;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/** Reads values out of a generated response tree by accessor name, for tests that sweep versions. */
final class ResponseErrors {

    private ResponseErrors() {
    }

    /** Every non-zero {@code errorCode} in the tree, with its path. */
    static List<String> nonZeroErrorCodes(Object response, String rootName) {
        List<String> errors = new ArrayList<>();
        walk(response, rootName, (path, name, value) -> {
            if (name.equals("errorCode") && value instanceof Short code && code != 0) {
                errors.add(path + "=" + code);
            }
        });
        return errors;
    }

    /** Every value of accessor {@code name} in the tree. */
    static List<Object> valuesOf(Object response, String name) {
        List<Object> values = new ArrayList<>();
        walk(response, "", (path, accessor, value) -> {
            if (accessor.equals(name)) {
                values.add(value);
            }
        });
        return values;
    }

    private interface Visitor {
        void visit(String path, String accessor, Object value);
    }

    private static void walk(Object node, String path, Visitor visitor) {
        if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                walk(list.get(i), path + "[" + i + "]", visitor);
            }
            return;
        }
        if (node == null || !node.getClass().getName().startsWith("io.tidelog.protocol.message.")) {
            return;
        }
        for (Method method : node.getClass().getMethods()) {
            if (method.getParameterCount() != 0 || Modifier.isStatic(method.getModifiers())
                    || method.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value;
            try {
                value = method.invoke(node);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError("cannot read " + method, e);
            }
            String childPath = path + "." + method.getName();
            visitor.visit(childPath, method.getName(), value);
            Class<?> type = method.getReturnType();
            if (List.class.isAssignableFrom(type) || type.getName().startsWith("io.tidelog.protocol.message.")) {
                walk(value, childPath, visitor);
            }
        }
    }
}
