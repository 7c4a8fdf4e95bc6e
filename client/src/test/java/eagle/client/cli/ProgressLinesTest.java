package eagle.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressLinesTest {

    @Test
    void aLargeFileGetsALineEveryTenthAndEachStepStartsAgain() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ProgressLines progress =
                new ProgressLines(new PrintStream(out, true, StandardCharsets.UTF_8));
        long total = 100L << 20;
        for (long done = 0; done <= total; done += 4L << 20) {
            progress.bytes("copying", done, total);
        }
        progress.bytes("copying", total, total);
        // the next step gets its line even where it starts at the tenth the last one ended on
        progress.bytes("sha256", total, total);
        progress.bytes("sha256", total, total);

        assertEquals(
                List.of(
                        "copying: 0 % of 100.0 MiB",
                        "copying: 10 % of 100.0 MiB",
                        "copying: 20 % of 100.0 MiB",
                        "copying: 30 % of 100.0 MiB",
                        "copying: 40 % of 100.0 MiB",
                        "copying: 50 % of 100.0 MiB",
                        "copying: 60 % of 100.0 MiB",
                        "copying: 70 % of 100.0 MiB",
                        "copying: 80 % of 100.0 MiB",
                        "copying: 90 % of 100.0 MiB",
                        "copying: 100 % of 100.0 MiB",
                        "sha256: 100 % of 100.0 MiB"),
                out.toString(StandardCharsets.UTF_8).lines().toList());
    }

    @Test
    void aFileUnderTheThresholdSaysNothing() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ProgressLines progress =
                new ProgressLines(new PrintStream(out, true, StandardCharsets.UTF_8));
        long total = ProgressLines.FROM_BYTES - 1;
        progress.bytes("copying", 0, total);
        progress.bytes("copying", total, total);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        assertEquals("64.0 MiB", ProgressLines.mib(ProgressLines.FROM_BYTES));
    }
}
