package eagle.scenes.experiment;

import java.io.PrintStream;

/**
 * A one-line progress bar on the terminal ({@code \r}-redrawn), or plain lines when the output is
 * not a terminal (CI logs), at most one every few seconds.
 */
public final class Progress {

    private static final int WIDTH = 30;
    private final PrintStream out;
    private final String label;
    private final long total;
    private final boolean terminal;
    private final long started = System.nanoTime();
    private long lastPrint;

    public Progress(String label, long total) {
        this.out = System.err;
        this.label = label;
        this.total = total;
        this.terminal = System.console() != null;
    }

    /** Shows {@code done} of the total with a free-form status such as the current loss. */
    public void update(long done, String status) {
        long now = System.nanoTime();
        if (!terminal && done < total && now - lastPrint < 5_000_000_000L) {
            return;
        }
        lastPrint = now;
        double fraction = total == 0 ? 1 : Math.min(1, (double) done / total);
        int filled = (int) Math.round(fraction * WIDTH);
        double elapsed = (now - started) / 1e9;
        double eta = fraction > 0 ? elapsed / fraction - elapsed : 0;
        String line =
                String.format(
                        "%-22s [%s%s] %3.0f%% %d/%d %s elapsed %s eta %s",
                        label,
                        "#".repeat(filled),
                        ".".repeat(WIDTH - filled),
                        100 * fraction,
                        done,
                        total,
                        status,
                        clock(elapsed),
                        clock(eta));
        if (terminal) {
            out.print("\r" + line);
            if (done >= total) {
                out.println();
            }
        } else {
            out.println(line);
        }
        out.flush();
    }

    private static String clock(double seconds) {
        long s = Math.round(seconds);
        return String.format("%d:%02d", s / 60, s % 60);
    }
}
