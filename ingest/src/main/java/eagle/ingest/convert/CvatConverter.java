package eagle.ingest.convert;

import eagle.contracts.AnnotationEvent;
import eagle.core.mask.BinaryMask;
import eagle.core.mask.CocoRle;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * A CVAT "for images 1.1" XML export → events: every {@code <mask>} (attribute {@code rle}: run
 * lengths over its box {@code left, top, width, height}, row-major, starting with a background run)
 * and every {@code <polygon>} ({@code points="x1,y1;x2,y2;..."}) of every {@code <image>}. Image id
 * = prefix + image id; instance id = the shape's position in the image ({@code mask-0}, {@code
 * polygon-1}, ...).
 */
public final class CvatConverter {

    public List<AnnotationEvent> convert(Path file, ImageResolver images, ExportDefaults defaults)
            throws IOException {
        Document doc = parse(file);
        NodeList imageNodes = doc.getElementsByTagName("image");
        List<AnnotationEvent> out = new ArrayList<>();
        for (int n = 0; n < imageNodes.getLength(); n++) {
            Element image = (Element) imageNodes.item(n);
            int height = Integer.parseInt(image.getAttribute("height"));
            int width = Integer.parseInt(image.getAttribute("width"));
            String imageId = defaults.idPrefix() + image.getAttribute("id");
            AnnotationEvent.ImageRef ref = null;
            NodeList shapes = image.getChildNodes();
            int index = 0;
            for (int s = 0; s < shapes.getLength(); s++) {
                if (!(shapes.item(s) instanceof Element shape)) {
                    continue;
                }
                AnnotationEvent.Mask mask;
                if (shape.getTagName().equals("mask")) {
                    mask =
                            AnnotationEvent.Mask.rle(
                                    height,
                                    width,
                                    CocoRle.encode(boxMask(shape, height, width))
                                            .toCompressedString());
                } else if (shape.getTagName().equals("polygon")) {
                    String[] points = shape.getAttribute("points").split(";");
                    double[] xy = new double[points.length * 2];
                    for (int i = 0; i < points.length; i++) {
                        String[] p = points[i].split(",");
                        xy[2 * i] = Double.parseDouble(p[0].trim());
                        xy[2 * i + 1] = Double.parseDouble(p[1].trim());
                    }
                    mask = new AnnotationEvent.Mask(List.of(height, width), null, List.of(xy));
                } else {
                    continue;
                }
                if (ref == null) {
                    ref = images.resolve(image.getAttribute("name"));
                }
                out.add(
                        new AnnotationEvent(
                                AnnotationEvent.SCHEMA_VERSION,
                                imageId,
                                shape.getTagName() + "-" + index++,
                                shape.getAttribute("label"),
                                mask,
                                ref,
                                defaults.annotator(),
                                defaults.time()));
            }
        }
        return out;
    }

    /** The full-image mask of a CVAT {@code <mask>} element. */
    static BinaryMask boxMask(Element shape, int height, int width) throws IOException {
        int left = Integer.parseInt(shape.getAttribute("left"));
        int top = Integer.parseInt(shape.getAttribute("top"));
        int boxWidth = Integer.parseInt(shape.getAttribute("width"));
        int boxHeight = Integer.parseInt(shape.getAttribute("height"));
        if (left < 0 || top < 0 || left + boxWidth > width || top + boxHeight > height) {
            throw new IOException("CVAT mask box exceeds the " + height + "x" + width + " image");
        }
        BinaryMask mask = BinaryMask.empty(height, width);
        long position = 0;
        boolean value = false;
        for (String token : shape.getAttribute("rle").split(",")) {
            long run = Long.parseLong(token.trim());
            if (position + run > (long) boxWidth * boxHeight) {
                throw new IOException(
                        "CVAT mask rle covers more than its "
                                + boxHeight
                                + "x"
                                + boxWidth
                                + " box");
            }
            if (value) {
                for (long p = position; p < position + run; p++) {
                    mask.set(top + (int) (p / boxWidth), left + (int) (p % boxWidth), true);
                }
            }
            position += run;
            value = !value;
        }
        return mask;
    }

    private static Document parse(Path file) throws IOException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(file.toFile());
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException("not a CVAT XML file: " + file, e);
        }
    }
}
