package eagle.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import eagle.contracts.AnnotationEvent;
import eagle.ingest.blob.BlobStore;
import eagle.ingest.blob.BlobWriteBehind;
import eagle.ingest.blob.FileBlobStore;
import eagle.ingest.blob.FileBlobStoreWithPut;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The images store does not take an aggregate from a stream thread until that thread's blob writes
 * are done, and a failed write stops the write that would have named it.
 */
class BlobAwaitingStoreSupplierTest {

    @TempDir Path dir;

    /** A store whose writes wait for {@code release} and then record that they happened. */
    private static BlobStore held(
            FileBlobStore files, CountDownLatch release, List<String> events) {
        return new FileBlobStoreWithPut(
                files,
                (store, sha256, bytes) -> {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted", e);
                    }
                    URI at = store.put(sha256, bytes);
                    events.add("blob " + sha256.substring(0, 8));
                    return at;
                });
    }

    @Test
    void anAggregateWaitsForItsThreadsBlobWrites() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> events = new CopyOnWriteArrayList<>();
        BlobWriteBehind writes = new BlobWriteBehind(held(new FileBlobStore(dir), release, events));
        KeyValueStore<Bytes, byte[]> store =
                new BlobAwaitingStoreSupplier(Stores.inMemoryKeyValueStore("images"), writes).get();
        byte[] image = "an image".getBytes(StandardCharsets.UTF_8);
        String sha = AnnotationEvent.sha256Hex(image);
        Bytes key = Bytes.wrap("img-1".getBytes(StandardCharsets.UTF_8));
        byte[] aggregate = ("{\"blob\":\"" + sha + "\"}").getBytes(StandardCharsets.UTF_8);

        // one stream thread: hands the image over, then writes the aggregate that names it
        CompletableFuture<Void> streamThread =
                CompletableFuture.runAsync(
                        () -> {
                            writes.put(sha, image);
                            store.putAll(List.of(KeyValue.pair(key, aggregate)));
                            events.add("aggregate");
                        });
        assertThrows(TimeoutException.class, () -> streamThread.get(300, TimeUnit.MILLISECONDS));
        assertNull(store.get(key), "the aggregate was taken before its blob was written");

        release.countDown();
        streamThread.get(30, TimeUnit.SECONDS);
        assertEquals(List.of("blob " + sha.substring(0, 8), "aggregate"), events);
        assertArrayEquals(aggregate, store.get(key));
    }

    @Test
    void aFailedBlobWriteStopsTheAggregateThatNamesIt() {
        BlobStore refusing =
                new FileBlobStoreWithPut(
                        new FileBlobStore(dir),
                        (store, sha256, bytes) -> {
                            throw new IOException("read-only file system");
                        });
        BlobWriteBehind writes = new BlobWriteBehind(refusing);
        KeyValueStore<Bytes, byte[]> store =
                new BlobAwaitingStoreSupplier(Stores.inMemoryKeyValueStore("images"), writes).get();
        byte[] image = "an image".getBytes(StandardCharsets.UTF_8);
        writes.put(AnnotationEvent.sha256Hex(image), image);
        Bytes key = Bytes.wrap("img-1".getBytes(StandardCharsets.UTF_8));

        UncheckedIOException failure =
                assertThrows(UncheckedIOException.class, () -> store.put(key, new byte[] {1}));
        assertEquals("read-only file system", failure.getCause().getMessage());
        assertNull(store.get(key));
    }
}
