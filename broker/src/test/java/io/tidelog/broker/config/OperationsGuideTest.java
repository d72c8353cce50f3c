package io.tidelog.broker.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** {@code docs/operations.md} documents exactly the keys the code accepts, with the code's defaults. */
class OperationsGuideTest {

    private static final Path GUIDE = Paths.get(System.getProperty("basedir", "."))
            .resolve("../docs/operations.md").normalize();

    @Test
    void theBrokerReferenceListsEveryKeyInOrderWithItsDefault() throws IOException {
        Map<String, String> documented = table("### Broker configuration reference");

        Map<String, String> expected = new LinkedHashMap<>();
        for (ConfigKey<?> key : BrokerKeys.ALL.values()) {
            expected.put(key.name(), key.defaultText() != null ? key.defaultText() : "(" + key.defaultDescription() + ")");
        }
        assertThat(documented).as(GUIDE + " broker table").containsExactlyEntriesOf(expected);
    }

    @Test
    void theTopicReferenceListsEveryTopicKeyWithTheBrokerKeyItDefaultsTo() throws IOException {
        Map<String, String> documented = table("### Topic configuration reference");

        Map<String, String> expected = new LinkedHashMap<>();
        for (String key : TopicConfig.keysWithDocs().keySet()) {
            expected.put(key, TopicConfig.brokerDefaultKey(key));
        }
        assertThat(documented).as(GUIDE + " topic table").containsExactlyEntriesOf(expected);
    }

    /** First two cells (backticks removed) of each row of the first table after {@code heading}. */
    private static Map<String, String> table(String heading) throws IOException {
        List<String> lines = Files.readAllLines(GUIDE, StandardCharsets.UTF_8);
        int start = lines.indexOf(heading);
        assertThat(start).as("heading '%s' in %s", heading, GUIDE).isNotNegative();
        Map<String, String> rows = new LinkedHashMap<>();
        List<String> table = new ArrayList<>();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("#")) {
                break;
            }
            if (line.startsWith("|")) {
                table.add(line);
            } else if (!table.isEmpty()) {
                break;
            }
        }
        for (String row : table.subList(Math.min(2, table.size()), table.size())) {
            String[] cells = row.split("\\|");
            rows.put(cells[1].trim().replace("`", ""), cells[2].trim().replace("`", ""));
        }
        return rows;
    }
}
