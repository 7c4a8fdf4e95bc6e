package eagle.client.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * {@code ./eagle register}'s progress on stderr: a line every 10 % of a copy or digest of a file of
 * at least {@link #FROM_BYTES}, starting again at 0 % when the next step (another {@code what})
 * begins.
 */
final class ProgressLines implements EncoderImport.Progress {

    /** Files at least this large get progress lines. */
    static final long FROM_BYTES = 64L << 20;

    private final PrintStream err;
    private int lastTenth = -1;
    private String lastWhat = "";

    ProgressLines(PrintStream err) {
        this.err = err;
    }

    @Override
    public void bytes(String what, long done, long total) {
        if (total < FROM_BYTES) {
            return;
        }
        if (!what.equals(lastWhat)) {
            lastWhat = what;
            lastTenth = -1;
        }
        int tenth = (int) (done * 10 / total);
        if (tenth != lastTenth) {
            lastTenth = tenth;
            err.println(what + ": " + tenth * 10 + " % of " + mib(total));
        }
    }

    /** {@code bytes} in MiB with one decimal, as every size line of the command writes it. */
    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
