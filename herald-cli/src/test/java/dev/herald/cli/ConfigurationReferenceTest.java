package dev.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/configuration.md} is tested against the code: its options table has one row per setting
 * of {@code herald serve}, with the key, every flag name, the environment variable and the declared
 * default the code has, and no row for an option that does not exist. A new option fails this test
 * until its row is added; the failure message gives the row to paste.
 */
class ConfigurationReferenceTest {

    static final Path DOC = Path.of("..", "docs", "configuration.md");

    /** The rows of the options table, by key: the cells after the key. */
    private static Map<String, String[]> documentedRows() throws Exception {
        Map<String, String[]> rows = new LinkedHashMap<>();
        boolean inTable = false;
        for (String line : Files.readAllLines(DOC)) {
            if (line.startsWith("| key | flag | environment | default |")) {
                inTable = true;
                continue;
            }
            if (!inTable || line.startsWith("| ---")) {
                continue;
            }
            if (!line.startsWith("|")) {
                if (!rows.isEmpty()) {
                    break;
                }
                continue;
            }
            String[] cells = line.substring(1, line.length() - 1).split("(?<!\\\\)\\|");
            for (int i = 0; i < cells.length; i++) {
                cells[i] = cells[i].trim();
            }
            rows.put(unquote(cells[0]), cells);
        }
        return rows;
    }

    private static String unquote(String cell) {
        return cell.startsWith("`") && cell.endsWith("`") ? cell.substring(1, cell.length() - 1) : cell;
    }

    private static List<Setting> settings() {
        return Setting.of(HeraldCommand.newCommandLine(Map.of()).getSubcommands().get("serve").getCommandSpec());
    }

    /** The row the table should have for {@code s}, meaning left to the writer. */
    private static String expectedRow(Setting s) {
        return "| `" + s.key() + "` | `" + String.join("`, `", s.option().names()) + "` | `" + s.envName() + "` | "
                + (s.declaredDefault() == null ? "none" : "`" + s.declaredDefault() + "`") + " | "
                + String.join(" ", s.option().description()) + " |";
    }

    @Test
    void everyServeOptionHasARowWithItsFlagsVariableAndDefault() throws Exception {
        Map<String, String[]> rows = documentedRows();
        assertThat(rows).as("the options table of " + DOC).isNotEmpty();
        List<String> problems = new ArrayList<>();
        for (Setting s : settings()) {
            String[] row = rows.get(s.key());
            if (row == null) {
                problems.add("missing row: " + expectedRow(s));
                continue;
            }
            String flags = "`" + String.join("`, `", s.option().names()) + "`";
            if (!row[1].equals(flags)) {
                problems.add(s.key() + ": flags " + row[1] + " (expected: " + flags + ")");
            }
            if (!row[2].equals("`" + s.envName() + "`")) {
                problems.add(s.key() + ": environment " + row[2] + " (expected: `" + s.envName() + "`)");
            }
            String expectedDefault = s.declaredDefault() == null ? "none" : "`" + s.declaredDefault() + "`";
            if (!row[3].equals(expectedDefault)) {
                problems.add(s.key() + ": default " + row[3] + " (expected: " + expectedDefault + ")");
            }
            if (row.length < 5 || row[4].isBlank()) {
                problems.add(s.key() + ": no meaning given");
            }
        }
        assertThat(problems).as("docs/configuration.md against herald serve's options").isEmpty();
    }

    @Test
    void theTableHasNoRowForAnOptionThatDoesNotExist() throws Exception {
        List<String> keys = settings().stream().map(Setting::key).toList();
        assertThat(documentedRows().keySet()).isSubsetOf(keys);
    }
}
