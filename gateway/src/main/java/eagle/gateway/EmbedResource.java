package eagle.gateway;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The gateway's embed endpoint (docs/ARCHITECTURE.md, Serving): a PNG or JPEG body decoded and
 * embedded by the production encoder. The rest of the encoder API is {@link EncoderResource}.
 */
@Path("/v1/encoders/{name}/embed")
@Tag(name = "encoders")
public class EmbedResource {

    private final ProductionEncoders encoders;
    private final Timer embedTimer;

    public EmbedResource(ProductionEncoders encoders, MeterRegistry meters) {
        this.encoders = encoders;
        // a histogram, so Prometheus can give the embed latency's quantiles across gateways
        this.embedTimer =
                Timer.builder("gateway.embed")
                        .description("time to embed one image")
                        .publishPercentileHistogram()
                        .register(meters);
    }

    @POST
    @Consumes({"image/png", "image/jpeg"})
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary =
                    "CLS feature (D) and patch features (P, D) with the grid shape, by the production encoder")
    public Response embed(@PathParam("name") String name, byte[] image) {
        LoadedEncoder e = encoders.current(EncoderResource.requireName(name));
        BufferedImage decoded;
        try {
            decoded = ImageIO.read(new ByteArrayInputStream(image));
        } catch (IOException ex) {
            throw new GatewayException(
                    400, "BAD_IMAGE", "the body is not a readable PNG or JPEG: " + ex.getMessage());
        }
        if (decoded == null) {
            throw new GatewayException(
                    400,
                    "BAD_IMAGE",
                    "the body (" + image.length + " bytes) is not a readable PNG or JPEG");
        }
        Embedding out = embedTimer.record(() -> e.embed(decoded));
        return Response.ok(out, MediaType.APPLICATION_JSON)
                .header(FileResponses.MODEL, e.model())
                .header(FileResponses.VERSION, e.version())
                .header(FileResponses.SHA256, e.sha256())
                .build();
    }

    /** As {@link EncoderResource#refusal}: a mapper in a resource class covers that class only. */
    @ServerExceptionMapper
    public Response refusal(GatewayException e) {
        return Response.status(e.status())
                .type(MediaType.APPLICATION_JSON)
                .entity(e.toApiError())
                .build();
    }
}
