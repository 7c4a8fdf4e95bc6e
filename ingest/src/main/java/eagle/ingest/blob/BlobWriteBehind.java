package eagle.ingest.blob;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Writes blobs on a thread of its own, so that a stream thread hands an image's bytes over and goes
 * on with its records instead of waiting for the file system (a blob's create, write and rename
 * were the largest per-image cost of ingest), and lets each stream thread wait, before anything
 * that refers to a blob can be committed, for every write it handed over.
 *
 * <p>The waits are per calling thread: under exactly-once each stream thread commits its own
 * transaction, so a thread waits for (and is told of the failures of) its own writes only. The
 * callers are {@code BlobAwaitingStoreSupplier}'s store, which every image aggregate passes through
 * before it reaches the changelog of a commit, and the emission of samples. A failed write is
 * reported to the thread that handed it over at its next wait, as an {@link UncheckedIOException},
 * as a synchronous write's failure was: the transaction aborts and its records are processed again
 * (writing the blob again).
 *
 * <p>Bytes in flight are bounded ({@link #DEFAULT_BUDGET_BYTES}): a hand-over waits while the
 * writer is that far behind. A thread's blobs go to the writer in batches ({@link #BATCH_IMAGES}
 * images or {@link #BATCH_BYTES} bytes, or fewer when the thread waits), so the writer is woken
 * once per batch rather than once per image. Writes run in the order they were handed over. The
 * writer thread ends when idle, so an unused write-behind holds no thread.
 */
public final class BlobWriteBehind {

    /**
     * At most this many bytes of images wait to be written (an image larger than it waits alone).
     */
    public static final long DEFAULT_BUDGET_BYTES = 64L << 20;

    /** A thread's blobs are handed to the writer this many at a time, */
    static final int BATCH_IMAGES = 32;

    /** or once they hold this many bytes. */
    static final long BATCH_BYTES = 1L << 20;

    private final BlobStore store;
    private final int budgetKib;
    private final Semaphore budget;
    private final ThreadPoolExecutor writer;

    /** One image handed over: its bytes and the budget it holds until written. */
    private record Blob(String sha256, byte[] bytes, int kib) {}

    /** A thread's blobs not yet given to the writer, and the batches it gave and not waited for. */
    private static final class Handed {
        final List<Blob> batch = new ArrayList<>();
        long batchBytes;
        final ArrayDeque<CompletableFuture<Void>> batches = new ArrayDeque<>();
    }

    private final ThreadLocal<Handed> handedOver = ThreadLocal.withInitial(Handed::new);

    public BlobWriteBehind(BlobStore store) {
        this(store, DEFAULT_BUDGET_BYTES);
    }

    public BlobWriteBehind(BlobStore store, long budgetBytes) {
        if (budgetBytes < 1024) {
            throw new IllegalArgumentException("budget below 1 KiB: " + budgetBytes);
        }
        this.store = store;
        this.budgetKib = (int) Math.min(Integer.MAX_VALUE, budgetBytes / 1024);
        this.budget = new Semaphore(budgetKib);
        this.writer =
                new ThreadPoolExecutor(
                        1,
                        1,
                        10,
                        TimeUnit.SECONDS,
                        new LinkedBlockingQueue<>(),
                        task -> {
                            Thread t = new Thread(task, "eagle-blob-writer");
                            t.setDaemon(true);
                            return t;
                        });
        writer.allowCoreThreadTimeOut(true);
    }

    /**
     * Hands {@code bytes} over to be stored under {@code sha256} and returns their address at once;
     * the blob is there once this thread's next {@link #awaitWritten} has returned.
     */
    public URI put(String sha256, byte[] bytes) {
        URI address = store.addressOf(sha256);
        Handed mine = handedOver.get();
        int kib = (int) Math.min(budgetKib, Math.max(1, (bytes.length + 1023L) / 1024));
        if (!budget.tryAcquire(kib)) {
            // the writer is behind: give it this thread's batch (whose budget it would otherwise
            // wait for) and wait for room
            dispatch(mine);
            budget.acquireUninterruptibly(kib);
        }
        mine.batch.add(new Blob(sha256, bytes, kib));
        mine.batchBytes += bytes.length;
        if (mine.batch.size() >= BATCH_IMAGES || mine.batchBytes >= BATCH_BYTES) {
            dispatch(mine);
        }
        return address;
    }

    /**
     * Waits until every blob this thread handed over is stored.
     *
     * @throws UncheckedIOException the first of them that failed (the others are waited for first)
     */
    public void awaitWritten() {
        Handed mine = handedOver.get();
        dispatch(mine);
        UncheckedIOException first = null;
        for (CompletableFuture<Void> batch = mine.batches.pollFirst();
                batch != null;
                batch = mine.batches.pollFirst()) {
            try {
                batch.join();
            } catch (CompletionException e) {
                if (first == null) {
                    first =
                            e.getCause() instanceof UncheckedIOException io
                                    ? io
                                    : new UncheckedIOException(
                                            new IOException("blob write failed", e.getCause()));
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** How many blobs this thread handed over and has not waited for (written or not). */
    int handedOverByThisThread() {
        Handed mine = handedOver.get();
        return mine.batch.size() + mine.batches.size();
    }

    /** Gives the thread's current batch to the writer. */
    private void dispatch(Handed mine) {
        // forget the batches that are done and went well, so the queue stays as long as the backlog
        while (!mine.batches.isEmpty()
                && mine.batches.peekFirst().isDone()
                && !mine.batches.peekFirst().isCompletedExceptionally()) {
            mine.batches.pollFirst();
        }
        if (mine.batch.isEmpty()) {
            return;
        }
        List<Blob> batch = List.copyOf(mine.batch);
        mine.batch.clear();
        mine.batchBytes = 0;
        try {
            mine.batches.addLast(CompletableFuture.runAsync(() -> write(batch), writer));
        } catch (RuntimeException e) {
            batch.forEach(blob -> budget.release(blob.kib()));
            throw e;
        }
    }

    /** Writes every blob of a batch, the rest too when one fails; throws the first failure. */
    private void write(List<Blob> batch) {
        UncheckedIOException first = null;
        for (Blob blob : batch) {
            try {
                store.put(blob.sha256(), blob.bytes());
            } catch (IOException | RuntimeException e) {
                if (first == null) {
                    first =
                            new UncheckedIOException(
                                    "blob store failed to store " + blob.sha256(),
                                    e instanceof IOException io ? io : new IOException(e));
                }
            } finally {
                budget.release(blob.kib());
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
