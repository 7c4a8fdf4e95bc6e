package eagle.core.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The safetensors format (<a
 * href="https://github.com/huggingface/safetensors">huggingface/safetensors</a>):
 *
 * <pre>
 * [8 bytes: N, unsigned little-endian]
 * [N bytes: UTF-8 JSON {name: {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, ...,
 *            optional "__metadata__": {string: string}}, padded with spaces]
 * [data: raw little-endian tensors; offsets are relative to the first data byte]
 * </pre>
 *
 * <p>Reads {@code F32}, {@code F16}, {@code BF16} and {@code F64} (all converted to float32);
 * writes {@code F32} with tensors in name order, the header padded with spaces to a multiple of 8,
 * streaming one tensor at a time through a small buffer (no whole-file byte array, so ViT-L fits),
 * into a temporary file moved into place when complete.
 *
 * <p>Two layers: an engine-free one on {@link Tensor} ({@link #readAll}, {@link #writeTensors}) and
 * a DJL convenience on {@link NDArray} ({@link #read}, {@link #write}). Malformed files fail with
 * an {@link IllegalArgumentException} that names the file and the defect.
 */
public final class Safetensors {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String METADATA_KEY = "__metadata__";
    private static final int CHUNK_BYTES = 1 << 20;

    /** Headers larger than this are refused, as the reference implementation does (100 MB). */
    private static final long MAX_HEADER_BYTES = 100L << 20;

    private Safetensors() {}

    /**
     * One tensor held in host memory.
     *
     * @param dtype the stored dtype ({@code F32}, {@code F16}, {@code BF16} or {@code F64}); the
     *     values are float32 whatever it is
     * @param shape dimensions, empty for a scalar
     * @param values row-major values, {@code product(shape)} of them
     */
    public record Tensor(String dtype, long[] shape, float[] values) {
        public Tensor {
            if (elementCount(shape) != values.length) {
                throw new IllegalArgumentException(
                        "shape "
                                + Arrays.toString(shape)
                                + " needs "
                                + elementCount(shape)
                                + " values, got "
                                + values.length);
            }
        }

        /** A float32 tensor. */
        public static Tensor f32(long[] shape, float[] values) {
            return new Tensor("F32", shape, values);
        }
    }

    /**
     * Where one tensor lies in a file.
     *
     * @param dtype stored dtype
     * @param shape dimensions
     * @param begin first byte, relative to the data section
     * @param end one past the last byte, relative to the data section
     */
    public record Entry(String dtype, long[] shape, long begin, long end) {}

    /**
     * A parsed header.
     *
     * @param entries tensors in header order
     * @param metadata the {@code __metadata__} map, empty when absent
     * @param dataStart absolute file offset of the data section, {@code 8 + N}
     */
    public record Header(Map<String, Entry> entries, Map<String, String> metadata, long dataStart) {

        /** Name to shape, in header order. */
        public Map<String, long[]> shapes() {
            Map<String, long[]> shapes = new LinkedHashMap<>();
            entries.forEach((name, e) -> shapes.put(name, e.shape()));
            return shapes;
        }
    }

    /** Reads and validates only the header (no tensor data). */
    public static Header readHeader(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return readHeader(file, channel);
        }
    }

    /** Reads every tensor, converted to float32, in header order. */
    public static Map<String, Tensor> readAll(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            Header header = readHeader(file, channel);
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Map.Entry<String, Entry> e : header.entries().entrySet()) {
                Entry entry = e.getValue();
                tensors.put(
                        e.getKey(),
                        new Tensor(
                                entry.dtype(), entry.shape(), readValues(channel, header, entry)));
            }
            return tensors;
        }
    }

    /**
     * Writes float32 tensors (whatever their {@link Tensor#dtype()}) in name order.
     *
     * @param metadata written as {@code __metadata__} unless empty
     */
    public static void writeTensors(
            Path file, Map<String, Tensor> tensors, Map<String, String> metadata)
            throws IOException {
        Map<String, long[]> shapes = new TreeMap<>();
        tensors.forEach((name, t) -> shapes.put(name, t.shape()));
        writeStreaming(file, shapes, metadata, name -> tensors.get(name).values());
    }

    /** Reads every tensor into {@code manager} as float32 arrays, in header order. */
    public static Map<String, NDArray> read(Path file, NDManager manager) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            Header header = readHeader(file, channel);
            Map<String, NDArray> arrays = new LinkedHashMap<>();
            for (Map.Entry<String, Entry> e : header.entries().entrySet()) {
                Entry entry = e.getValue();
                arrays.put(
                        e.getKey(),
                        manager.create(
                                readValues(channel, header, entry), new Shape(entry.shape())));
            }
            return arrays;
        }
    }

    /**
     * Reads the tensors one at a time in header order, handing each to {@code consumer} as float32
     * values (so at most one tensor is held in host memory).
     */
    public static void forEachTensor(Path file, TensorConsumer consumer) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            Header header = readHeader(file, channel);
            for (Map.Entry<String, Entry> e : header.entries().entrySet()) {
                consumer.accept(
                        e.getKey(),
                        e.getValue().shape(),
                        readValues(channel, header, e.getValue()));
            }
        }
    }

    /** Receives one tensor of {@link #forEachTensor}. */
    @FunctionalInterface
    public interface TensorConsumer {
        void accept(String name, long[] shape, float[] values) throws IOException;
    }

    /**
     * Writes arrays as float32 in name order, converting each one to host memory only while it is
     * written.
     *
     * @param metadata written as {@code __metadata__} unless empty
     */
    public static void write(Path file, Map<String, NDArray> arrays, Map<String, String> metadata)
            throws IOException {
        Map<String, long[]> shapes = new TreeMap<>();
        arrays.forEach((name, a) -> shapes.put(name, a.getShape().getShape()));
        writeStreaming(
                file,
                shapes,
                metadata,
                name -> {
                    NDArray array = arrays.get(name);
                    if (array.getDataType() == DataType.FLOAT32) {
                        return array.toFloatArray();
                    }
                    try (NDArray converted = array.toType(DataType.FLOAT32, true)) {
                        return converted.toFloatArray();
                    }
                });
    }

    /**
     * Checks that {@code found} holds exactly the names and shapes of {@code expected}.
     *
     * @param source what is checked, for the message (e.g. the file name)
     * @throws IllegalArgumentException one message listing every missing, extra and wrongly shaped
     *     tensor
     */
    public static void requireShapes(
            String source, Map<String, long[]> expected, Map<String, long[]> found) {
        List<String> missing = new ArrayList<>();
        List<String> misshaped = new ArrayList<>();
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            long[] actual = found.get(e.getKey());
            if (actual == null) {
                missing.add(e.getKey() + " " + Arrays.toString(e.getValue()));
            } else if (!Arrays.equals(actual, e.getValue())) {
                misshaped.add(
                        e.getKey()
                                + " expected "
                                + Arrays.toString(e.getValue())
                                + " found "
                                + Arrays.toString(actual));
            }
        }
        List<String> extra = new ArrayList<>();
        for (Map.Entry<String, long[]> e : found.entrySet()) {
            if (!expected.containsKey(e.getKey())) {
                extra.add(e.getKey() + " " + Arrays.toString(e.getValue()));
            }
        }
        if (missing.isEmpty() && extra.isEmpty() && misshaped.isEmpty()) {
            return;
        }
        StringBuilder message =
                new StringBuilder(source).append(" does not match the expected tensors:");
        if (!missing.isEmpty()) {
            message.append(" missing ")
                    .append(missing.size())
                    .append(' ')
                    .append(missing)
                    .append(';');
        }
        if (!extra.isEmpty()) {
            message.append(" extra ").append(extra.size()).append(' ').append(extra).append(';');
        }
        if (!misshaped.isEmpty()) {
            message.append(" wrong shape ")
                    .append(misshaped.size())
                    .append(' ')
                    .append(misshaped)
                    .append(';');
        }
        throw new IllegalArgumentException(message.substring(0, message.length() - 1));
    }

    /** Number of elements of a shape; 1 for a scalar. */
    public static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException(
                        "negative dimension in " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /**
     * Decodes an IEEE 754 half-precision value: 1 sign bit, 5 exponent bits (bias 15), 10 mantissa
     * bits; exponent 0 is subnormal ({@code m · 2^-24}), exponent 31 is infinity or NaN.
     */
    public static float halfToFloat(short bits) {
        int h = bits & 0xFFFF;
        int sign = (h >>> 15) << 31;
        int exponent = (h >>> 10) & 0x1F;
        int mantissa = h & 0x3FF;
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f; // subnormal or zero, exact in float32
            return sign == 0 ? magnitude : -magnitude;
        }
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
        }
        return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
    }

    /** Decodes a bfloat16 value: the upper 16 bits of a float32. */
    public static float bfloat16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    private static Header readHeader(Path file, FileChannel channel) throws IOException {
        long size = channel.size();
        if (size < 8) {
            throw malformed(file, "shorter than the 8-byte header length");
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, lengthBytes, 0);
        long headerLength = lengthBytes.flip().getLong();
        if (headerLength < 2 || headerLength > MAX_HEADER_BYTES || 8 + headerLength > size) {
            throw malformed(
                    file,
                    "header length " + headerLength + " does not fit a file of " + size + " bytes");
        }
        ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
        readFully(channel, headerBytes, 8);
        JsonNode root;
        try {
            root = JSON.readTree(new String(headerBytes.array(), StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw malformed(file, "header is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw malformed(file, "header is not a JSON object");
        }
        long dataStart = 8 + headerLength;
        long dataLength = size - dataStart;
        Map<String, Entry> entries = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equals(METADATA_KEY)) {
                if (!field.getValue().isObject()) {
                    throw malformed(file, METADATA_KEY + " is not an object");
                }
                for (Iterator<Map.Entry<String, JsonNode>> m = field.getValue().fields();
                        m.hasNext(); ) {
                    Map.Entry<String, JsonNode> kv = m.next();
                    if (!kv.getValue().isTextual()) {
                        throw malformed(
                                file, METADATA_KEY + "." + kv.getKey() + " is not a string");
                    }
                    metadata.put(kv.getKey(), kv.getValue().textValue());
                }
            } else {
                entries.put(
                        field.getKey(),
                        parseEntry(file, field.getKey(), field.getValue(), dataLength));
            }
        }
        return new Header(entries, metadata, dataStart);
    }

    private static Entry parseEntry(Path file, String name, JsonNode node, long dataLength) {
        JsonNode dtype = node.get("dtype");
        JsonNode shape = node.get("shape");
        JsonNode offsets = node.get("data_offsets");
        if (dtype == null
                || !dtype.isTextual()
                || shape == null
                || !shape.isArray()
                || offsets == null
                || !offsets.isArray()
                || offsets.size() != 2) {
            throw malformed(file, "tensor " + name + " lacks dtype, shape or two data_offsets");
        }
        int width = bytesPerElement(dtype.textValue());
        if (width == 0) {
            throw malformed(
                    file,
                    "tensor "
                            + name
                            + " has unsupported dtype "
                            + dtype.textValue()
                            + " (readable: F32, F16, BF16, F64)");
        }
        long[] dims = new long[shape.size()];
        for (int i = 0; i < dims.length; i++) {
            if (!shape.get(i).canConvertToLong() || shape.get(i).longValue() < 0) {
                throw malformed(file, "tensor " + name + " has an invalid shape " + shape);
            }
            dims[i] = shape.get(i).longValue();
        }
        long begin = offsets.get(0).asLong(-1);
        long end = offsets.get(1).asLong(-1);
        long bytes;
        try {
            bytes = Math.multiplyExact(elementCount(dims), width);
        } catch (ArithmeticException e) {
            throw malformed(file, "tensor " + name + " shape " + shape + " is too large");
        }
        if (begin < 0 || end < begin || end > dataLength || end - begin != bytes) {
            throw malformed(
                    file,
                    "tensor "
                            + name
                            + " data_offsets "
                            + offsets
                            + " do not hold "
                            + bytes
                            + " bytes of "
                            + dtype.textValue()
                            + " "
                            + shape
                            + " within "
                            + dataLength
                            + " data bytes");
        }
        if (elementCount(dims) > Integer.MAX_VALUE - 8) {
            throw malformed(
                    file, "tensor " + name + " has more elements than one Java array holds");
        }
        return new Entry(dtype.textValue(), dims, begin, end);
    }

    private static float[] readValues(FileChannel channel, Header header, Entry entry)
            throws IOException {
        int count = (int) elementCount(entry.shape());
        float[] values = new float[count];
        int width = bytesPerElement(entry.dtype());
        ByteBuffer chunk =
                ByteBuffer.allocate(Math.max(width, CHUNK_BYTES / width * width))
                        .order(ByteOrder.LITTLE_ENDIAN);
        long position = header.dataStart() + entry.begin();
        int index = 0;
        while (index < count) {
            int n = Math.min(count - index, chunk.capacity() / width);
            chunk.clear().limit(n * width);
            readFully(channel, chunk, position);
            position += (long) n * width;
            chunk.flip();
            switch (entry.dtype()) {
                case "F32" -> chunk.asFloatBuffer().get(values, index, n);
                case "F64" -> {
                    for (int i = 0; i < n; i++) {
                        values[index + i] = (float) chunk.getDouble();
                    }
                }
                case "F16" -> {
                    for (int i = 0; i < n; i++) {
                        values[index + i] = halfToFloat(chunk.getShort());
                    }
                }
                case "BF16" -> {
                    for (int i = 0; i < n; i++) {
                        values[index + i] = bfloat16ToFloat(chunk.getShort());
                    }
                }
                default -> throw new IllegalStateException("unreachable dtype " + entry.dtype());
            }
            index += n;
        }
        return values;
    }

    @FunctionalInterface
    private interface ValueSource {
        float[] values(String name) throws IOException;
    }

    private static void writeStreaming(
            Path file, Map<String, long[]> shapes, Map<String, String> metadata, ValueSource source)
            throws IOException {
        ObjectNode root = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode meta = root.putObject(METADATA_KEY);
            new TreeMap<>(metadata).forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            if (e.getKey().equals(METADATA_KEY)) {
                throw new IllegalArgumentException("a tensor cannot be named " + METADATA_KEY);
            }
            long bytes = elementCount(e.getValue()) * Float.BYTES;
            ObjectNode entry = root.putObject(e.getKey());
            entry.put("dtype", "F32");
            ArrayNode shape = entry.putArray("shape");
            for (long d : e.getValue()) {
                shape.add(d);
            }
            entry.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = JSON.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        head.flip();

        Path absolute = file.toAbsolutePath();
        Path temp = absolute.resolveSibling(absolute.getFileName() + ".partial");
        try (FileChannel out =
                FileChannel.open(
                        temp,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(out, head);
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            FloatBuffer floats = chunk.asFloatBuffer();
            for (Map.Entry<String, long[]> e : shapes.entrySet()) {
                float[] values = source.values(e.getKey());
                if (values.length != elementCount(e.getValue())) {
                    throw new IllegalArgumentException(
                            "tensor "
                                    + e.getKey()
                                    + " has "
                                    + values.length
                                    + " values for shape "
                                    + Arrays.toString(e.getValue()));
                }
                for (int index = 0; index < values.length; ) {
                    int n = Math.min(values.length - index, floats.capacity());
                    floats.clear();
                    floats.put(values, index, n);
                    chunk.clear().limit(n * Float.BYTES);
                    writeFully(out, chunk);
                    index += n;
                }
            }
            out.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        try {
            Files.move(
                    temp,
                    absolute,
                    StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static int bytesPerElement(String dtype) {
        return switch (dtype) {
            case "F32" -> 4;
            case "F16", "BF16" -> 2;
            case "F64" -> 8;
            default -> 0;
        };
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position)
            throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new IOException("unexpected end of file at byte " + at);
            }
            at += n;
        }
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private static IllegalArgumentException malformed(Path file, String reason) {
        return new IllegalArgumentException("malformed safetensors file " + file + ": " + reason);
    }
}
