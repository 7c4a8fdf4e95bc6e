package eagle.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {

    @TempDir Path dir;

    @Test
    void roundTripKeepsValuesShapesAndMetadata() throws IOException {
        Map<String, Safetensors.Tensor> tensors = new LinkedHashMap<>();
        tensors.put(
                "z.weight",
                Safetensors.Tensor.f32(new long[] {2, 3}, new float[] {1, -2, 3.5f, 0, 1e-8f, 7}));
        tensors.put("a.scalar", Safetensors.Tensor.f32(new long[] {}, new float[] {4.25f}));
        tensors.put("m.empty", Safetensors.Tensor.f32(new long[] {0, 5}, new float[0]));
        Path file = dir.resolve("t.safetensors");
        Safetensors.writeTensors(file, tensors, Map.of("format", "pt", "note", "ünïcode"));

        Map<String, Safetensors.Tensor> read = Safetensors.readAll(file);
        assertEquals(
                List.of("a.scalar", "m.empty", "z.weight"),
                List.copyOf(read.keySet()),
                "name order");
        for (String name : tensors.keySet()) {
            assertEquals("F32", read.get(name).dtype());
            assertArrayEquals(tensors.get(name).shape(), read.get(name).shape(), name);
            assertArrayEquals(tensors.get(name).values(), read.get(name).values(), name);
        }
        Safetensors.Header header = Safetensors.readHeader(file);
        assertEquals(Map.of("format", "pt", "note", "ünïcode"), header.metadata());
        assertEquals(0, (header.dataStart() - 8) % 8, "header padded to a multiple of 8");
        assertEquals(
                Files.size(file),
                header.dataStart() + 4 * (6 + 1),
                "data follows the header exactly");
        assertTrue(!Files.exists(dir.resolve("t.safetensors.partial")));
    }

    @Test
    void writtenBytesFollowTheFormat() throws IOException {
        Path file = dir.resolve("bytes.safetensors");
        Safetensors.writeTensors(
                file,
                Map.of("x", Safetensors.Tensor.f32(new long[] {2}, new float[] {1f, -2f})),
                Map.of());
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long n = buffer.getLong();
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertEquals(
                "{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", header.strip());
        assertEquals(0, n % 8);
        buffer.position((int) (8 + n));
        assertEquals(0x3F800000, buffer.getInt(), "1.0f little-endian");
        assertEquals(0xC0000000, buffer.getInt(), "-2.0f little-endian");
    }

    @Test
    void decodesHalfAndBfloat16FromHandMadeBitPatterns() throws IOException {
        // F16: 1.0, -2.0, 65504 (largest), 2^-24 (smallest subnormal), 1/3 rounded, -0, +inf, 2^-14
        // (smallest normal)
        short[] half = {
            0x3C00, (short) 0xC000, 0x7BFF, 0x0001, 0x3555, (short) 0x8000, 0x7C00, 0x0400
        };
        float[] halfExpected = {
            1f, -2f, 65504f, 0x1p-24f, 0.333251953125f, -0f, Float.POSITIVE_INFINITY, 0x1p-14f
        };
        // BF16: 1.0, -3.140625, 2^-126 (smallest normal), 3.0e38 region 0x7F00 = 2^127, -inf
        short[] bf16 = {0x3F80, (short) 0xC049, 0x0080, 0x7F00, (short) 0xFF80};
        float[] bf16Expected = {1f, -3.140625f, 0x1p-126f, 0x1p127f, Float.NEGATIVE_INFINITY};
        Path file = dir.resolve("half.safetensors");
        String header =
                "{\"h\":{\"dtype\":\"F16\",\"shape\":[2,4],\"data_offsets\":[0,16]},"
                        + "\"b\":{\"dtype\":\"BF16\",\"shape\":[5],\"data_offsets\":[16,26]},"
                        + "\"__metadata__\":{\"k\":\"v\"}}";
        ByteBuffer buffer =
                ByteBuffer.allocate(8 + header.length() + 26).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
        for (short s : half) {
            buffer.putShort(s);
        }
        for (short s : bf16) {
            buffer.putShort(s);
        }
        Files.write(file, buffer.array());

        Map<String, Safetensors.Tensor> read = Safetensors.readAll(file);
        assertEquals("F16", read.get("h").dtype());
        assertArrayEquals(new long[] {2, 4}, read.get("h").shape());
        assertArrayEquals(halfExpected, read.get("h").values());
        assertEquals(
                Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(read.get("h").values()[5]));
        assertEquals("BF16", read.get("b").dtype());
        assertArrayEquals(bf16Expected, read.get("b").values());
        assertTrue(Float.isNaN(Safetensors.halfToFloat((short) 0x7E00)));
        assertEquals(Map.of("k", "v"), Safetensors.readHeader(file).metadata());
    }

    @Test
    void shapeCheckNamesEveryMissingExtraAndMisshapedTensor() {
        Map<String, long[]> expected = new LinkedHashMap<>();
        expected.put("a", new long[] {2, 2});
        expected.put("b", new long[] {3});
        expected.put("c", new long[] {});
        Map<String, long[]> found = new LinkedHashMap<>();
        found.put("a", new long[] {2, 2});
        found.put("c", new long[] {1});
        found.put("d", new long[] {4});
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> Safetensors.requireShapes("ckpt", expected, found));
        assertEquals(
                "ckpt does not match the expected tensors: missing 1 [b [3]]; extra 1 [d [4]];"
                        + " wrong shape 1 [c expected [] found [1]]",
                e.getMessage());
        Safetensors.requireShapes(
                "ckpt",
                expected,
                Map.of("a", new long[] {2, 2}, "b", new long[] {3}, "c", new long[] {}));
    }

    @Test
    void ndArrayRoundTripConvertsToFloat32() throws IOException {
        Path file = dir.resolve("nd.safetensors");
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> arrays = new LinkedHashMap<>();
            arrays.put("w", manager.arange(12f).reshape(3, 4));
            arrays.put("d", manager.create(new double[] {0.1, -0.2}));
            arrays.put("s", manager.create(2.5f));
            Safetensors.write(file, arrays, Map.of());
            Map<String, NDArray> read = Safetensors.read(file, manager);
            assertEquals(new Shape(3, 4), read.get("w").getShape());
            assertArrayEquals(arrays.get("w").toFloatArray(), read.get("w").toFloatArray());
            assertEquals(DataType.FLOAT32, read.get("d").getDataType());
            assertArrayEquals(new float[] {0.1f, -0.2f}, read.get("d").toFloatArray());
            assertEquals(new Shape(), read.get("s").getShape());
            assertEquals(2.5f, read.get("s").getFloat());
        }
    }

    @Test
    void malformedFilesAreRejectedWithTheReason() throws IOException {
        Path truncated = dir.resolve("truncated.safetensors");
        Safetensors.writeTensors(
                truncated,
                Map.of("x", Safetensors.Tensor.f32(new long[] {4}, new float[4])),
                Map.of());
        byte[] bytes = Files.readAllBytes(truncated);
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length - 4));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Safetensors.readAll(truncated));
        assertTrue(e.getMessage().contains("tensor x data_offsets"), e.getMessage());

        Path tiny = dir.resolve("tiny.safetensors");
        Files.write(tiny, new byte[] {1, 2, 3});
        assertTrue(
                assertThrows(IllegalArgumentException.class, () -> Safetensors.readHeader(tiny))
                        .getMessage()
                        .contains("shorter than"));

        Path badType = dir.resolve("i8.safetensors");
        String header = "{\"x\":{\"dtype\":\"I8\",\"shape\":[1],\"data_offsets\":[0,1]}}";
        ByteBuffer buffer =
                ByteBuffer.allocate(8 + header.length() + 1).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(header.length())
                .put(header.getBytes(StandardCharsets.US_ASCII))
                .put((byte) 1);
        Files.write(badType, buffer.array());
        assertTrue(
                assertThrows(IllegalArgumentException.class, () -> Safetensors.readAll(badType))
                        .getMessage()
                        .contains("unsupported dtype I8"));
    }
}
