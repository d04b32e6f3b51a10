package dev.tanrenai.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tanrenai.datasets.Message;
import dev.tanrenai.datasets.home.TanrenaiHome;
import dev.tanrenai.datasets.store.ConversationStore;
import dev.tanrenai.datasets.store.Database;
import dev.tanrenai.datasets.testing.HeadlessChromium;
import dev.tanrenai.models.registry.ModelRegistry;
import dev.tanrenai.models.tiny.TinyModelMaker;
import dev.tanrenai.models.tiny.TinyModelSpec;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The A/B report ({@code pipeline ab report}) in headless Debian chromium (the {@code browser} Maven
 * profile; skipped with a message when no chromium is on the PATH or at {@code -Dtanrenai.chromium}).
 * The report is built as {@code pipeline ab report} builds it, from a running experiment in a real store
 * with four recorded evaluations, and one prompt kind carrying a planted {@code <script>}.
 *
 * <p>Chromium runs through the shared {@code HeadlessChromium} fixture (datasets test-jar), as evaluate's
 * {@code HtmlReportBrowserIT} does: "nothing fetched" is the report's NetLog holding no page-initiated
 * request while a control page's NetLog holds its two.
 */
class AbReportBrowserIT {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final String PLANTED = "<script>alert('x')</script> & why? ";

    private static Path chromium;

    @TempDir
    Path tmp;

    @BeforeAll
    static void findChromium() {
        Optional<Path> found = HeadlessChromium.locate();
        Assumptions.assumeTrue(
                found.isPresent(),
                "browser tier skipped: no chromium on the PATH (apt-get install -y chromium) and"
                        + " -Dtanrenai.chromium not set");
        chromium = found.get();
    }

    /**
     * A running experiment (at least 200 rated users per arm needed, so it keeps collecting) evaluated
     * after each of four batches of 12 users per arm; the report written as {@code pipeline ab report}
     * writes it.
     */
    private Path report() throws IOException {
        TanrenaiHome home = new TanrenaiHome(tmp.resolve("home")).initialize();
        Database db = Database.open(home.defaultJdbcUrl());
        ConversationStore store = new ConversationStore(db);
        ModelRegistry registry = new ModelRegistry(db, home);
        Path a = tmp.resolve("a.gguf");
        Path b = tmp.resolve("b.gguf");
        TinyModelMaker.write(TinyModelSpec.llamaDefault(), a);
        TinyModelMaker.write(TinyModelSpec.qwen2Default(), b);
        String champ = registry.addBaseModel(a, "a", false).id();
        String chall = registry.addBaseModel(b, "b", false).id();
        registry.moveAlias("champion", champ, "test", "test");
        registry.moveAlias("challenger", chall, "test", "test");
        Experiments experiments = new Experiments(store, registry);
        Experiment e =
                experiments.start(chall, 0.5, ExperimentConfig.defaults().withMinUsersPerArm(200), T0, "browser-it");
        ServedLog log = new ServedLog(store);
        SplittableRandom random = new SplittableRandom(21);
        int user = 0;
        for (int batch = 1; batch <= 4; batch++) {
            for (int k = 0; k < 12; k++, user++) {
                for (ExperimentArm arm : ExperimentArm.values()) {
                    String id = arm.wireName() + "-" + user;
                    Instant at = T0.plusSeconds(user);
                    String prompt = (user % 2 == 0 ? PLANTED : "tell me about tea ") + user;
                    String answer = arm.wireName() + " answers: " + (user % 2 == 0 ? "<b>no</b>" : "green tea");
                    log.store(
                            id,
                            List.of(Message.user(prompt), Message.assistant(answer)),
                            Map.of(1, new ServedLog.Turn(arm, e.modelOf(arm), at, 100, "u" + arm + user)));
                    double p = arm == ExperimentArm.CHAMPION ? 0.4 : 0.6;
                    log.rate(id, 1, random.nextDouble() < p ? 1 : -1, at);
                }
            }
            Experiments.Applied applied = experiments
                    .decide(T0.plus(Duration.ofHours(batch)), "browser-it")
                    .orElseThrow();
            assertEquals(
                    Decision.CONTINUE,
                    applied.verdict().decision(),
                    applied.verdict().reason());
        }
        Verdict current = experiments.evaluate(e, T0.plus(Duration.ofHours(5)));
        String html = AbReport.html(e, current, experiments.store().decisions(e.id()), Samples.pairs(store, e, 5));
        Path file = tmp.resolve("reports").resolve(e.id() + ".html");
        Files.createDirectories(file.getParent());
        Files.writeString(file, html);
        return file;
    }

    /** The rendered {@code <svg>} elements, in document order. */
    private static List<String> svgs(String dom) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<svg\\b.*?</svg>", Pattern.DOTALL).matcher(dom);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    private static int count(String haystack, String needle) {
        return haystack.split(Pattern.quote(needle), -1).length - 1;
    }

    private String run(String name, Path page, String... extra) throws IOException, InterruptedException {
        return HeadlessChromium.run(chromium, tmp, name, page, extra);
    }

    private static List<String> pageRequests(Path netlog) throws IOException {
        return HeadlessChromium.pageRequests(netlog);
    }

    @Test
    void renderedDomHasWhereItStandsTheChartsTheBoundaryAndBothArmsSamplesAsText() throws Exception {
        String dom = run("dom", report(), "--dump-dom");
        String head = dom.substring(0, Math.min(1500, dom.length()));
        // where it stands: status, the current evaluation's decision and reason, the per-arm table
        assertTrue(dom.contains("Status: <b>running</b>"), head);
        assertTrue(dom.contains("<h2>Where it stands</h2><p>continue: collecting: 48 and 48 rated users of 200"), head);
        assertTrue(dom.contains("<th class=\"champion\">champion</th><td>48</td><td>48</td>"), head);
        assertTrue(dom.contains("<th class=\"challenger\">challenger</th><td>48</td><td>48</td>"), head);

        List<String> charts = svgs(dom);
        assertEquals(3, charts.size(), "three charts in the rendered DOM");
        assertTrue(dom.contains("<h2>Rating rate per arm over the evaluations (95% bands)</h2><svg"));
        // per-arm rate over the four evaluations: a band (polygon of 8 points) and a line per arm, in the arm colours
        String rates = charts.get(0);
        assertEquals(2, count(rates, "<polygon"), rates);
        assertEquals(2, count(rates, "<polyline"), rates);
        for (String colour : List.of("#1f5fa8", "#c4571b")) {
            assertTrue(rates.contains("<polygon points=\"") && rates.contains("fill=\"" + colour + "\""), colour);
            assertTrue(rates.contains("stroke=\"" + colour + "\""), colour);
        }
        Matcher band = Pattern.compile("<polygon points=\"([^\"]*)\"").matcher(rates);
        assertTrue(band.find());
        assertEquals(8, band.group(1).trim().split("\\s+").length, "a band over four evaluations: " + band.group(1));
        // the effect with its always-valid interval, and the zero line
        String effect = charts.get(1);
        assertEquals(1, count(effect, "<polygon"), effect);
        assertEquals(1, count(effect, "stroke-dasharray"), effect);
        // the sequential test: log LR and its boundary (red), over the four evaluations
        assertTrue(dom.contains("<h2>Sequential test: log likelihood ratio and its boundary</h2><svg"));
        String sequential = charts.get(2);
        assertEquals(2, count(sequential, "<polyline"), sequential);
        assertTrue(sequential.contains("stroke=\"#c00\""), sequential);
        Matcher boundary = Pattern.compile("<polyline points=\"([^\"]*)\"[^>]*stroke=\"#c00\"")
                .matcher(sequential);
        assertTrue(boundary.find(), sequential);
        assertEquals(4, boundary.group(1).trim().split("\\s+").length, boundary.group(1));

        // sample conversations: both arms answered both prompt kinds
        assertEquals(2, count(dom, "<div class=\"conv\">"));
        assertFalse(dom.contains("(no conversation of this kind)"));
        assertTrue(dom.contains("champion answers: &lt;b&gt;no&lt;/b&gt;"));
        assertTrue(dom.contains("challenger answers: &lt;b&gt;no&lt;/b&gt;"));
        assertTrue(dom.contains("champion answers: green tea") && dom.contains("challenger answers: green tea"));
        // the planted script was parsed as text: in the heading and in both arms' conversations
        assertFalse(dom.toLowerCase(Locale.ROOT).contains("<script"), "no script element in the DOM");
        assertFalse(dom.contains("<b>no</b>"));
        assertTrue(count(dom, "&lt;script&gt;alert('x')&lt;/script&gt; &amp; why?") >= 3, "planted text shown");
    }

    @Test
    void screenshotIsAPaintedPageWithTheBoundaryAndTheArmColours() throws Exception {
        Path page = report();
        Path png = tmp.resolve("report.png");
        run("shot", page, "--screenshot=" + png, "--window-size=1200,2400", "--hide-scrollbars");
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, "the screenshot decodes as an image");
        assertEquals(1200, image.getWidth());
        Set<Integer> colours = new HashSet<>();
        Map<Integer, Integer> counted = new HashMap<>();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y) & 0xFFFFFF;
                colours.add(rgb);
                counted.merge(rgb, 1, Integer::sum);
            }
        }
        assertTrue(colours.size() > 50, "a rendered page has many colours, got " + colours.size());
        // painted strokes of the boundary (#c00) and of both arms' lines and names (#1f5fa8, #c4571b)
        for (int colour : new int[] {0xCC0000, 0x1F5FA8, 0xC4571B}) {
            int n = counted.getOrDefault(colour, 0);
            assertTrue(n > 200, String.format(Locale.ROOT, "pixels of #%06x: %d", colour, n));
        }
    }

    @Test
    void nothingIsFetchedWhileAControlPageIsCaught() throws Exception {
        Path reportLog = tmp.resolve("report.netlog.json");
        String dom = run("net", report(), "--dump-dom", "--log-net-log=" + reportLog);
        assertTrue(dom.contains("<svg"), "the report rendered");
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
    }
}
