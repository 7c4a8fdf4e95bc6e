package eagle.core.train;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the C allocator from handing freed tensor memory back to the kernel between training steps
 * (docs/BENCHMARKS.md, "Where a step's time goes, and the cuts").
 *
 * <p>A step allocates and frees the same few dozen megabytes of activations and gradients every
 * time. glibc's malloc serves blocks above its mmap threshold with fresh mappings and trims the
 * heap top above its trim threshold, so each step re-faults those pages from the kernel (about
 * 12,000 page faults per {@code tiny} step at batch 32, 4 KiB each, zeroed by the kernel). Raising
 * both thresholds keeps the pages mapped: the memory a step needs stays resident across steps, as
 * it would with a caching allocator: the resident size stops shrinking between steps (the peak is
 * the step's own, up to fragmentation). Process-wide and idempotent; a no-op off Linux/glibc.
 */
public final class NativeMemory {

    private static final Logger LOG = LoggerFactory.getLogger(NativeMemory.class);

    /** glibc's {@code mallopt} parameters ({@code malloc.h}). */
    private static final int M_TRIM_THRESHOLD = -1;

    private static final int M_MMAP_THRESHOLD = -3;

    /**
     * glibc's largest mmap threshold on 64-bit (HEAP_MAX_SIZE / 2): blocks above it are mmapped.
     */
    private static final int MMAP_THRESHOLD_MAX = 32 * 1024 * 1024;

    private static boolean applied;

    private NativeMemory() {}

    /** {@code int mallopt(int param, int value)} from the C library. */
    private interface CLibrary extends Library {
        int mallopt(int param, int value);
    }

    /**
     * Sets malloc's mmap threshold to its maximum (32 MiB) and its trim threshold to 2 GiB, once.
     *
     * @return whether the C library accepted both settings (false off Linux or when it refused)
     */
    public static synchronized boolean keepFreedPages() {
        if (applied) {
            return true;
        }
        if (!Platform.isLinux()) {
            return false;
        }
        try {
            CLibrary c = Native.load("c", CLibrary.class);
            applied =
                    c.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_MAX) == 1
                            && c.mallopt(M_TRIM_THRESHOLD, Integer.MAX_VALUE) == 1;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            LOG.warn("malloc's thresholds left as they were: {}", e.toString());
        }
        return applied;
    }
}
