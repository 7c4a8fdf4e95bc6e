package eagle.ingest.blob;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eagle.contracts.AnnotationEvent;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Content-addressed files: round trip, idempotence, digests checked both ways, concurrent writers.
 */
class FileBlobStoreTest {

    @TempDir Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Every file under the store's root (temporary files included). */
    private List<Path> files() throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void storesUnderTheDigestAndReadsBack() throws IOException {
        FileBlobStore store = new FileBlobStore(dir);
        byte[] content = bytes("an image");
        String sha = AnnotationEvent.sha256Hex(content);
        assertFalse(store.contains(sha));
        URI at = store.put(sha, content);
        assertEquals(dir.resolve(sha.substring(0, 2)).resolve(sha).toUri(), at);
        assertArrayEquals(content, Files.readAllBytes(Path.of(at)));
        assertArrayEquals(content, store.get(sha));
        assertTrue(store.contains(sha));
        // idempotent: the same content again changes nothing and leaves no temporary file
        assertEquals(at, store.put(sha, content));
        assertEquals(List.of(Path.of(at)), files());
    }

    @Test
    void refusesBytesThatDoNotHashToTheAddressAndNoticesCorruption() throws IOException {
        FileBlobStore store = new FileBlobStore(dir);
        String other = AnnotationEvent.sha256Hex(bytes("other"));
        assertThrows(IllegalArgumentException.class, () -> store.put(other, bytes("an image")));
        assertEquals(List.of(), files());
        assertThrows(FileNotFoundException.class, () -> store.get(other));

        byte[] content = bytes("an image");
        String sha = AnnotationEvent.sha256Hex(content);
        Files.write(Path.of(store.put(sha, content)), bytes("tampered"));
        assertThrows(IOException.class, () -> store.get(sha));
    }

    @Test
    void aFolderRemovedBehindItsBackIsMadeAgain() throws IOException {
        FileBlobStore store = new FileBlobStore(dir);
        byte[] first = bytes("first");
        String sha = AnnotationEvent.sha256Hex(first);
        store.put(sha, first);
        Files.delete(store.pathOf(sha));
        Files.delete(store.pathOf(sha).getParent());
        store.put(sha, first);
        assertArrayEquals(first, store.get(sha));
    }

    @Test
    void concurrentWritersOfTheSameAndOtherContentLeaveOneIntactFileEach() throws Exception {
        List<byte[]> contents = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            contents.add(bytes("image " + (i % 10))); // each content written by 4 writers
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<URI>> puts = new ArrayList<>();
            for (byte[] content : contents) {
                // separate store objects: like separate processes sharing the root
                puts.add(
                        () ->
                                new FileBlobStore(dir)
                                        .put(AnnotationEvent.sha256Hex(content), content));
            }
            Set<URI> stored = new HashSet<>();
            for (Future<URI> f : pool.invokeAll(puts)) {
                stored.add(f.get());
            }
            assertEquals(10, stored.size());
        } finally {
            pool.shutdown();
        }
        FileBlobStore store = new FileBlobStore(dir);
        for (byte[] content : contents) {
            assertArrayEquals(content, store.get(AnnotationEvent.sha256Hex(content)));
        }
        assertEquals(10, files().size(), "no temporary file left: " + files());
    }
}
