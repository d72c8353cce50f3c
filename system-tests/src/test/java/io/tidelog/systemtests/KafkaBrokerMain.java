package io.tidelog.systemtests;

import kafka.tools.StorageTool;

/**
 * Entry point of the child JVM that {@link KafkaBrokerProcess} starts: formats a fresh KRaft log
 * directory and then runs Apache Kafka's own broker main in the same JVM, so a test pays for one
 * JVM start instead of two ({@code kafka-storage.sh format}, then {@code kafka-server-start.sh}).
 *
 * <p>Arguments: {@code <server.properties> <cluster id>}. Exits with 2 when formatting fails;
 * otherwise the process lives as long as the broker does.
 */
public final class KafkaBrokerMain {

    private KafkaBrokerMain() {
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: KafkaBrokerMain <server.properties> <cluster id>");
            System.exit(2);
        }
        int formatted = StorageTool.execute(new String[] {"format", "-t", args[1], "-c", args[0]}, System.out);
        if (formatted != 0) {
            System.err.println("formatting the KRaft log directory failed with " + formatted);
            System.exit(2);
        }
        kafka.Kafka.main(new String[] {args[0]});
    }
}
