package eagle.ingest.blob;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eagle.contracts.AnnotationEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writes behind the caller: addresses at once, blobs stored once the caller has waited. */
class BlobWriteBehindTest {

    @TempDir Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everyBlobIsStoredOnceTheThreadHasWaited() throws IOException {
        FileBlobStore store = new FileBlobStore(dir);
        // a budget of 2 KiB: most hand-overs wait for the writer, none may be lost
        BlobWriteBehind writes = new BlobWriteBehind(store, 2048);
        List<String> shas = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            byte[] content = bytes("image " + i + " ".repeat(i * 7));
            String sha = AnnotationEvent.sha256Hex(content);
            URI at = writes.put(sha, content);
            assertEquals(store.addressOf(sha), at);
            shas.add(sha);
        }
        writes.awaitWritten();
        assertEquals(0, writes.handedOverByThisThread());
        for (int i = 0; i < shas.size(); i++) {
            assertArrayEquals(bytes("image " + i + " ".repeat(i * 7)), store.get(shas.get(i)));
        }
    }

    @Test
    void aFailedWriteIsReportedOnceToTheThreadThatHandedItOver() throws Exception {
        FileBlobStore files = new FileBlobStore(dir);
        byte[] bad = bytes("the disk refuses this one");
        String badSha = AnnotationEvent.sha256Hex(bad);
        BlobStore failing =
                new FileBlobStoreWithPut(
                        files,
                        (store, sha256, content) -> {
                            if (sha256.equals(badSha)) {
                                throw new IOException("no space left on device");
                            }
                            return store.put(sha256, content);
                        });
        BlobWriteBehind writes = new BlobWriteBehind(failing);
        byte[] good = bytes("a fine image");
        String goodSha = AnnotationEvent.sha256Hex(good);

        writes.put(badSha, bad);
        writes.put(goodSha, good);
        // another thread's writes and waits know nothing of this thread's failure
        byte[] other = bytes("another thread's image");
        CompletableFuture.runAsync(
                        () -> {
                            writes.put(AnnotationEvent.sha256Hex(other), other);
                            writes.awaitWritten();
                        })
                .get();

        UncheckedIOException failure =
                assertThrows(UncheckedIOException.class, writes::awaitWritten);
        assertTrue(failure.getMessage().contains(badSha), failure.getMessage());
        assertEquals("no space left on device", failure.getCause().getMessage());
        // the writes after the failed one were still waited for, and the failure is not repeated
        assertTrue(files.contains(goodSha));
        assertTrue(files.contains(AnnotationEvent.sha256Hex(other)));
        assertDoesNotThrow(writes::awaitWritten);
    }
}
