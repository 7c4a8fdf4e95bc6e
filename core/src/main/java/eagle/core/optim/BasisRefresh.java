package eagle.core.optim;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host-side SVDs of a GaLore basis refresh, several gradients at once.
 *
 * <p>A refresh (every T steps) takes the SVD of every targeted gradient on the host, with EJML in
 * float64 ({@link GaloreProjector#topSingularVectors}); DJL 0.36 exposes no SVD of libtorch's. EJML
 * decomposes on one thread, so one after the other the SVDs of a ViT-L-sized model took about 20
 * minutes on the 2-core machine (docs/BENCHMARKS.md, "Memory of a training step"). The SVDs are
 * independent, so they run on as many threads as asked, which changes nothing in the bases: each is
 * computed exactly as it would be alone. Gradients are copied to the host in waves of {@code
 * threads}, so the host holds at most that many float64 copies at a time.
 */
final class BasisRefresh {

    private static final Logger LOG = LoggerFactory.getLogger(BasisRefresh.class);

    /**
     * A refresh over at least this many gradient elements (ViT-B-16's blocks hold about 85 million)
     * is announced at INFO, start and end, since it pauses training for a while; smaller ones at
     * DEBUG.
     */
    static final long ANNOUNCED_ELEMENTS = 10_000_000L;

    private BasisRefresh() {}

    /**
     * @param grads the gradients whose bases are due, by parameter name (2-D)
     * @param rank r, clipped per gradient to min(r, m, n)
     * @param threads how many SVDs run at once (≥ 1)
     * @return each gradient's new basis as {@link GaloreProjector#topSingularVectors} gives it
     */
    static Map<String, double[]> compute(Map<String, NDArray> grads, int rank, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        Map<String, double[]> out = new HashMap<>();
        if (grads.isEmpty()) {
            return out;
        }
        List<String> names = new ArrayList<>(grads.keySet());
        long elements = grads.values().stream().mapToLong(NDArray::size).sum();
        boolean announce = elements >= ANNOUNCED_ELEMENTS;
        long started = System.nanoTime();
        if (announce) {
            LOG.info(
                    "GaLore basis refresh: SVDs of {} gradients ({} million values) on {} threads"
                            + " ...",
                    names.size(),
                    elements / 1_000_000,
                    Math.min(threads, names.size()));
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, names.size()));
        try {
            for (int from = 0; from < names.size(); from += threads) {
                List<String> wave = names.subList(from, Math.min(names.size(), from + threads));
                List<Future<double[]>> running = new ArrayList<>(wave.size());
                for (String name : wave) {
                    NDArray g = grads.get(name);
                    int m = Math.toIntExact(g.getShape().get(0));
                    int n = Math.toIntExact(g.getShape().get(1));
                    double[] host = OptimArgs.toDoubles(g); // on the calling thread: DJL's side
                    running.add(pool.submit(() -> GaloreProjector.hostBasis(host, m, n, rank)));
                }
                for (int i = 0; i < wave.size(); i++) {
                    out.put(wave.get(i), running.get(i).get());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during a GaLore basis refresh", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("GaLore basis refresh failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        if (announce) {
            LOG.info(
                    "GaLore basis refresh: done in {} s",
                    String.format(java.util.Locale.ROOT, "%.1f", seconds));
        } else {
            LOG.debug("GaLore basis refresh: {} gradients in {} s", names.size(), seconds);
        }
        return out;
    }
}
