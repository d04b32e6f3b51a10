package dev.tanrenai.evaluate.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.datasets.testing.HeadlessChromium;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report in a real headless browser (Debian's {@code chromium}; the {@code browser} Maven
 * profile runs this tier; skipped with a message when no chromium is found on the PATH or at
 * {@code -Dtanrenai.chromium}).
 *
 * <p>Every run uses {@code --headless --disable-gpu --no-sandbox} and a throwaway {@code --user-data-dir}.
 *
 * <p><b>How "nothing is fetched" is proved.</b> Chromium runs with {@code --log-net-log=FILE}, which
 * records every request its network stack starts ({@code URL_REQUEST_START_JOB} events, with URL,
 * initiator and network isolation key), and with {@code --host-resolver-rules="MAP * ~NOTFOUND"} so
 * no request could leave the machine anyway. The browser itself also makes a few background requests
 * (time sync, account and spelling services) whose initiator is "not an origin"; a request made by a
 * {@code file://} page has the page's origin as initiator and {@code file://} in its isolation key. The
 * test asserts the report's log holds no page-initiated request, and — so the check cannot pass by
 * logging nothing — a control page with one {@code <img src="http://...">} and one stylesheet
 * {@code https://} link, run the same way, must show both as page-initiated requests. File loads
 * (the report itself) do not go through the network stack and are not in the log.
 */
class HtmlReportBrowserIT {

    private static Path chromium;

    @TempDir
    Path tmp;

    @BeforeAll
    static void findChromium() {
        Optional<Path> found = HeadlessChromium.locate();
        Assumptions.assumeTrue(
                found.isPresent(),
                "browser tier skipped: no chromium on the PATH (install Debian's chromium: apt-get install -y "
                        + "chromium) and -Dtanrenai.chromium not set");
        chromium = found.get();
    }

    private Path report() {
        return ReportFiles.write(tmp.resolve("report"), ReportFixture.load()).html();
    }

    private String run(String name, Path page, String... extra) throws IOException, InterruptedException {
        return HeadlessChromium.run(chromium, tmp, name, page, extra);
    }

    private static List<String> pageRequests(Path netlog) throws IOException {
        return HeadlessChromium.pageRequests(netlog);
    }

    @Test
    void renderedDomHasTheDecisionChecksAndCharts() throws Exception {
        String dom = run("dom", report(), "--dump-dom");
        assertTrue(dom.contains("data-decision=\"refuse\""), dom.substring(0, Math.min(500, dom.length())));
        assertTrue(dom.contains("<div class=\"verdict\">REFUSE</div>"));
        assertTrue(dom.contains("<table class=\"checks\">"));
        for (String id :
                List.of("forest-heldout", "forest-general", "forest-tasks-arc_easy", "kl-general", "loss-curve")) {
            assertTrue(dom.contains("<svg id=\"" + id + "\" class=\"chart "), "chart " + id + " in the rendered DOM");
        }
        assertEquals(5, dom.split("role=\"img\"", -1).length - 1);
        // the browser parsed the item text as text, not as an element
        assertFalse(dom.toLowerCase(Locale.ROOT).contains("<script"));
        assertTrue(dom.contains("&lt;script&gt;alert('x')&lt;/script&gt; &amp; why?"));
    }

    @Test
    void screenshotIsAPaintedPageWithTheRefuseBanner() throws Exception {
        Path png = tmp.resolve("report.png");
        run("shot", report(), "--screenshot=" + png, "--window-size=1200,2400", "--hide-scrollbars");
        assertTrue(Files.size(png) > 20_000, "screenshot is " + Files.size(png) + " bytes");
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, "the screenshot decodes as an image");
        assertEquals(1200, image.getWidth());
        Set<Integer> colours = new HashSet<>();
        int bannerRed = 0;
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                int rgb = image.getRGB(x, y) & 0xFFFFFF;
                colours.add(rgb);
                if (y < 400 && rgb == 0xCF222E) {
                    bannerRed++;
                }
            }
        }
        assertTrue(colours.size() > 50, "a rendered page has many colours, got " + colours.size());
        // the refuse banner (#cf222e) near the top: tens of thousands of pixels, a quarter sampled
        assertTrue(bannerRed > 5_000, "refuse banner pixels sampled: " + bannerRed);
    }

    @Test
    void nothingIsFetchedWhileAControlPageIsCaught() throws Exception {
        Path reportLog = tmp.resolve("report.netlog.json");
        run("net", report(), "--dump-dom", "--log-net-log=" + reportLog);
        assertEquals(List.of(), pageRequests(reportLog), "requests made by the report page");

        Path control = tmp.resolve("control.html");
        Files.writeString(
                control,
                "<!DOCTYPE html><html><head><link rel=\"stylesheet\" href=\"https://control.invalid/a.css\"></head>"
                        + "<body><img src=\"http://control.invalid/x.png\"></body></html>");
        Path controlLog = tmp.resolve("control.netlog.json");
        run("control", control, "--dump-dom", "--log-net-log=" + controlLog);
        List<String> caught = pageRequests(controlLog);
        assertTrue(caught.contains("http://control.invalid/x.png"), "control image request logged: " + caught);
        assertTrue(caught.contains("https://control.invalid/a.css"), "control stylesheet request logged: " + caught);
        try (Stream<Path> s = Files.list(tmp)) {
            assertTrue(s.anyMatch(p -> p.getFileName().toString().startsWith("profile-net")));
        }
    }
}
