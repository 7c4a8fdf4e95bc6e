package eagle.ingest.blob;

import java.io.IOException;
import java.net.URI;

/**
 * A test's {@link BlobStore}: a {@link FileBlobStore} whose writes go through {@code put} (which
 * may fail, wait or record, then call the files' own put), everything else to the files.
 */
public final class FileBlobStoreWithPut implements BlobStore {

    /** A write in place of the files' own. */
    @FunctionalInterface
    public interface Put {
        URI put(FileBlobStore files, String sha256, byte[] bytes) throws IOException;
    }

    private final FileBlobStore files;
    private final Put put;

    public FileBlobStoreWithPut(FileBlobStore files, Put put) {
        this.files = files;
        this.put = put;
    }

    @Override
    public URI put(String sha256, byte[] bytes) throws IOException {
        return put.put(files, sha256, bytes);
    }

    @Override
    public URI addressOf(String sha256) {
        return files.addressOf(sha256);
    }

    @Override
    public byte[] get(String sha256) throws IOException {
        return files.get(sha256);
    }

    @Override
    public boolean contains(String sha256) {
        return files.contains(sha256);
    }
}
