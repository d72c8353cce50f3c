package io.tidelog.protocol.generator;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The message classes in src/main are exactly what the generator makes of messages.schema.
 * With {@code -Dtidelog.regenerate=true} this test rewrites them instead.
 */
class GeneratedMessagesAreCurrentTest {

    @Test
    void givenTheSchemaWhenGeneratedThenTheCommittedMessageClassesAreIdentical() throws IOException {
        Map<String, String> files = MessageGenerator.generate(MessageSchema.load());
        boolean regenerate = Boolean.getBoolean("tidelog.regenerate");
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path path = MessageGenerator.OUTPUT_DIR.resolve(file.getKey());
            if (regenerate) {
                Files.writeString(path, file.getValue());
            }
            assertThat(path).as("generated file " + file.getKey()).exists();
            assertThat(Files.readString(path)).as(file.getKey() + " is out of date: regenerate (see messages.schema)")
                    .isEqualTo(file.getValue());
        }
    }
}
