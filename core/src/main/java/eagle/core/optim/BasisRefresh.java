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
        return out;
    }
}
