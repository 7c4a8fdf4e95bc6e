package eagle.ingest;

import eagle.ingest.blob.BlobWriteBehind;
import java.util.List;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The image aggregates' store, made to wait for the blob writes that its aggregates refer to.
 *
 * <p>An aggregate names its image's blob, and the blob is written behind the stream thread ({@link
 * BlobWriteBehind}). Nothing may commit an aggregate whose blob is not on disk: after a crash the
 * committed aggregate would be emitted, and the trainer would look for a blob that never came.
 * Kafka Streams' public API has no hook before a commit, but the store itself is one: every change
 * reaches this innermost store (through the record cache and the changelog layer) before the
 * transaction that holds it commits, since the changelog records must be in that transaction. So
 * this store waits, before each write, for every blob write the calling stream thread handed over.
 * With the record cache on (the default), that is once per commit or cache eviction, by when the
 * writes have long finished; with it off, once per record.
 */
final class BlobAwaitingStoreSupplier implements KeyValueBytesStoreSupplier {

    private final KeyValueBytesStoreSupplier inner;
    private final BlobWriteBehind blobs;

    BlobAwaitingStoreSupplier(KeyValueBytesStoreSupplier inner, BlobWriteBehind blobs) {
        this.inner = inner;
        this.blobs = blobs;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public String metricsScope() {
        return inner.metricsScope();
    }

    @Override
    public KeyValueStore<Bytes, byte[]> get() {
        return new BlobAwaitingStore(inner.get(), blobs);
    }

    /** The store: {@code inner}'s, with the wait before every write. */
    static final class BlobAwaitingStore implements KeyValueStore<Bytes, byte[]> {

        private final KeyValueStore<Bytes, byte[]> inner;
        private final BlobWriteBehind blobs;

        BlobAwaitingStore(KeyValueStore<Bytes, byte[]> inner, BlobWriteBehind blobs) {
            this.inner = inner;
            this.blobs = blobs;
        }

        @Override
        public void put(Bytes key, byte[] value) {
            blobs.awaitWritten();
            inner.put(key, value);
        }

        @Override
        public byte[] putIfAbsent(Bytes key, byte[] value) {
            blobs.awaitWritten();
            return inner.putIfAbsent(key, value);
        }

        @Override
        public void putAll(List<KeyValue<Bytes, byte[]>> entries) {
            blobs.awaitWritten();
            inner.putAll(entries);
        }

        @Override
        public byte[] delete(Bytes key) {
            return inner.delete(key);
        }

        @Override
        public byte[] get(Bytes key) {
            return inner.get(key);
        }

        @Override
        public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
            return inner.range(from, to);
        }

        @Override
        public KeyValueIterator<Bytes, byte[]> reverseRange(Bytes from, Bytes to) {
            return inner.reverseRange(from, to);
        }

        @Override
        public KeyValueIterator<Bytes, byte[]> all() {
            return inner.all();
        }

        @Override
        public KeyValueIterator<Bytes, byte[]> reverseAll() {
            return inner.reverseAll();
        }

        @Override
        public <PS extends Serializer<P>, P> KeyValueIterator<Bytes, byte[]> prefixScan(
                P prefix, PS prefixKeySerializer) {
            return inner.prefixScan(prefix, prefixKeySerializer);
        }

        @Override
        public long approximateNumEntries() {
            return inner.approximateNumEntries();
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public void init(StateStoreContext context, StateStore root) {
            inner.init(context, root);
        }

        @Override
        public void flush() {
            inner.flush();
        }

        @Override
        public void close() {
            inner.close();
        }

        @Override
        public boolean persistent() {
            return inner.persistent();
        }

        @Override
        public boolean isOpen() {
            return inner.isOpen();
        }

        @Override
        public <R> QueryResult<R> query(
                Query<R> query, PositionBound positionBound, QueryConfig config) {
            return inner.query(query, positionBound, config);
        }

        @Override
        public Position getPosition() {
            return inner.getPosition();
        }
    }
}
