package eagle.scenes.bench;

/**
 * What the benchmarks print about the machine they ran on: PyTorch's threads, oneMKL's code path.
 */
final class BenchMachine {

    private BenchMachine() {}

    /**
     * Which oneMKL code path libtorch's matrix products take: the launcher preloads {@code
     * scripts/native/mkl_intel_cpu.c} on AMD processors with AVX-512 and says so in {@code
     * EAGLE_MKL_SHIM}.
     */
    static String mklCodePath() {
        String shim = System.getenv("EAGLE_MKL_SHIM");
        return shim != null
                ? "oneMKL: AVX-512 code path ("
                        + shim
                        + " preloaded; EAGLE_MKL_GENERIC=1 for MKL's"
                        + " own choice)"
                : "oneMKL: its own code-path choice (no shim preloaded)";
    }

    /** PyTorch's intra-op threads as the launcher sets them (EAGLE_THREADS), else one per core. */
    static int threads() {
        String set = System.getProperty("ai.djl.pytorch.num_threads");
        return set != null ? Integer.parseInt(set) : Runtime.getRuntime().availableProcessors();
    }
}
