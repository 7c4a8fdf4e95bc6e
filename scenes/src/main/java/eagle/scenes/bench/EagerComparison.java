package eagle.scenes.bench;

import java.util.Locale;
import java.util.Map;

/**
 * The core benchmark's comparison with PyTorch eager ({@link PytorchTwin}): both rates, their
 * ratio, and the loss of the first and the last step of each, which must agree for the ratio to
 * compare the same computation.
 */
final class EagerComparison {

    private EagerComparison() {}

    /**
     * Prints the twin's figures beside the Java steps' for each optimizer.
     *
     * @param report what the twin measured
     * @param c the benchmarked model
     * @param gemm the Java engine's GEMM rate, FLOP/s
     * @param names the optimizers, in the order of the arrays
     * @param rate the Java images/s of each
     * @param firstLoss the loss of each one's first step
     * @param lastLoss the loss of each one's last timed step
     */
    static void print(
            PytorchTwin.Report report,
            CoreBenchmark.Case c,
            double gemm,
            String[] names,
            double[] rate,
            double[] firstLoss,
            double[] lastLoss) {
        System.out.printf(
                Locale.ROOT,
                "PyTorch eager: torch %s, %d threads, GEMM 512x512x512 float32 %.2f"
                        + " GFLOP/s (the Java engine's: %.2f)%n",
                report.torch(),
                report.threads(),
                report.gemmFlops() / 1e9,
                gemm / 1e9);
        if (report.gemmFlops() < 0.5 * gemm) {
            System.out.println(
                    "warning: PyTorch's matrix products run at less than half the Java"
                            + " engine's rate here; Debian's torch calls libblas.so.3,"
                            + " probably the reference BLAS: with `apt-get install"
                            + " libopenblas0-pthread` the ratios below compare the steps"
                            + " rather than the BLAS libraries");
        }
        Map<String, PytorchTwin.Result> eager = report.results();
        for (int k = 0; k < 2; k++) {
            PytorchTwin.Result r = eager.get(names[k]);
            String label =
                    (k == 0 ? "GaLore-AdamW" : "AdamW") + ", " + c.name() + ", batch " + c.batch();
            if (r == null) {
                System.out.println(label + ": the PyTorch twin printed no figures");
                continue;
            }
            System.out.printf(
                    Locale.ROOT,
                    "%s: Java %.3g images/s, PyTorch eager %.3g images/s; loss of the"
                            + " first step %.5f / %.5f, of the last %.5f / %.5f%n",
                    label,
                    rate[k],
                    r.imagesPerSecond(),
                    firstLoss[k],
                    r.firstLoss(),
                    lastLoss[k],
                    r.lastLoss());
            System.out.printf(
                    Locale.ROOT,
                    "%s: ratio to PyTorch eager %.2f×%n",
                    label,
                    rate[k] / r.imagesPerSecond());
        }
    }
}
