package eagle.ingest.convert;

import eagle.contracts.AnnotationEvent;
import eagle.core.mask.BinaryMask;
import eagle.core.mask.CocoRle;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * An OpenImages V7 segmentation export → events: the masks CSV ({@code
 * MaskPath,ImageID,LabelName,BoxID,BoxXMin,BoxXMax,BoxYMin,BoxYMax,PredictedIoU,Clicks}) and its
 * mask PNGs (non-zero = object). Class names come from the class-descriptions CSV ({@code
 * LabelName,DisplayName}) when given, else the MID ({@code /m/01yrx}) is the class. The image is
 * {@code <ImageID>.jpg} resolved by the {@link ImageResolver}. When a mask PNG's size differs from
 * the image's, the mask is resized to the image by nearest neighbour. Image id = prefix + ImageID;
 * instance id = BoxID.
 */
public final class OpenImagesConverter {

    private final Path masksDir;
    private final Map<String, String> classNames;

    /**
     * @param masksDir the folder of the mask PNGs
     * @param classDescriptions the class-descriptions CSV, or null
     */
    public OpenImagesConverter(Path masksDir, Path classDescriptions) throws IOException {
        this.masksDir = masksDir;
        this.classNames = new HashMap<>();
        if (classDescriptions != null) {
            for (String line : Files.readAllLines(classDescriptions)) {
                List<String> cells = csv(line);
                if (cells.size() >= 2 && !cells.get(0).equals("LabelName")) {
                    classNames.put(cells.get(0), cells.get(1));
                }
            }
        }
    }

    public List<AnnotationEvent> convert(
            Path masksCsv, ImageResolver images, ExportDefaults defaults) throws IOException {
        List<String> lines = Files.readAllLines(masksCsv);
        List<String> header = csv(lines.get(0));
        int maskPath = header.indexOf("MaskPath");
        int imageIdCol = header.indexOf("ImageID");
        int label = header.indexOf("LabelName");
        int box = header.indexOf("BoxID");
        if (maskPath < 0 || imageIdCol < 0 || label < 0 || box < 0) {
            throw new IOException("not an OpenImages masks CSV (header " + header + ")");
        }
        Map<String, AnnotationEvent.ImageRef> refs = new HashMap<>();
        Map<String, int[]> sizes = new HashMap<>();
        List<AnnotationEvent> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            List<String> cells = csv(line);
            String imageId = cells.get(imageIdCol);
            AnnotationEvent.ImageRef ref = refs.get(imageId);
            if (ref == null) {
                ref = images.resolve(imageId + ".jpg");
                refs.put(imageId, ref);
                BufferedImage decoded =
                        ref.uri().startsWith("file:")
                                ? ImageIO.read(Path.of(java.net.URI.create(ref.uri())).toFile())
                                : null;
                sizes.put(
                        imageId,
                        decoded == null
                                ? null
                                : new int[] {decoded.getHeight(), decoded.getWidth()});
            }
            BinaryMask mask = readMask(masksDir.resolve(cells.get(maskPath)), sizes.get(imageId));
            String mid = cells.get(label);
            out.add(
                    new AnnotationEvent(
                            AnnotationEvent.SCHEMA_VERSION,
                            defaults.idPrefix() + imageId,
                            cells.get(box),
                            classNames.getOrDefault(mid, mid),
                            AnnotationEvent.Mask.rle(
                                    mask.height(),
                                    mask.width(),
                                    CocoRle.encode(mask).toCompressedString()),
                            ref,
                            defaults.annotator(),
                            defaults.time()));
        }
        return out;
    }

    /**
     * Non-zero pixels of the PNG's first band, resized (nearest neighbour) to {@code size} = {h, w}
     * when given.
     */
    static BinaryMask readMask(Path png, int[] size) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        if (image == null) {
            throw new IOException("mask " + png + " is not an image");
        }
        Raster raster = image.getRaster();
        int h = size == null ? image.getHeight() : size[0];
        int w = size == null ? image.getWidth() : size[1];
        BinaryMask mask = BinaryMask.empty(h, w);
        for (int y = 0; y < h; y++) {
            int sy = (int) ((y + 0.5) * image.getHeight() / h);
            for (int x = 0; x < w; x++) {
                int sx = (int) ((x + 0.5) * image.getWidth() / w);
                if (raster.getSample(sx, sy, 0) != 0) {
                    mask.set(y, x, true);
                }
            }
        }
        return mask;
    }

    /** Splits one CSV line (double-quoted cells may hold commas). */
    static List<String> csv(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                if (quoted && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else {
                    quoted = !quoted;
                }
            } else if (c == ',' && !quoted) {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }
}
