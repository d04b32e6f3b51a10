package dev.tanrenai.pipelines.models;

import dev.tanrenai.models.download.DownloadRequest;
import dev.tanrenai.models.download.DownloadResult;
import dev.tanrenai.models.download.ModelDownloader;
import dev.tanrenai.models.registry.BaseModel;
import dev.tanrenai.models.registry.ModelRegistry;
import dev.tanrenai.pipelines.cli.CommonOptions;
import dev.tanrenai.pipelines.cli.Output;
import dev.tanrenai.pipelines.cli.ProgressBar;
import dev.tanrenai.pipelines.cli.Stores;
import dev.tanrenai.pipelines.config.TanrenaiConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pipeline models pull URL}: download a GGUF base model, verify it and register it. */
@Command(
        name = "pull",
        mixinStandardHelpOptions = true,
        description = {
            "Download a GGUF base model (e.g. a Hugging Face .../resolve/main/model.gguf URL) into <home>/models,",
            "resuming and retrying as needed, verify its SHA-256 and GGUF structure, and register it."
        })
public final class PullModelCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Mixin
    AliasOptions aliasOptions;

    @Parameters(index = "0", paramLabel = "URL", description = "http(s) URL of the .gguf file.")
    URI url;

    @Option(names = "--sha256", paramLabel = "HEX", description = "Expected SHA-256 (strongly recommended).")
    String sha256;

    @Option(
            names = "--name",
            paramLabel = "NAME",
            description = "Registry name (default: the file name without .gguf).")
    String name;

    @Option(
            names = "--token-env",
            paramLabel = "VAR",
            description = "Environment variable holding a bearer token for gated models (e.g. HF_TOKEN).")
    String tokenEnv;

    @Option(
            names = "--attempts",
            paramLabel = "N",
            description = "Attempts before giving up (default: ${DEFAULT-VALUE}).")
    int attempts = 5;

    @Override
    public Integer call() throws IOException {
        TanrenaiConfig config = common.config();
        config.home().initialize();
        String fileName = Path.of(url.getPath()).getFileName() == null
                ? ""
                : Path.of(url.getPath()).getFileName().toString();
        if (!fileName.endsWith(".gguf")) {
            throw new IllegalArgumentException("the URL must name a .gguf file, got '" + fileName + "'");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (tokenEnv != null) {
            String token = System.getenv(tokenEnv);
            if (token == null || token.isBlank()) {
                throw new IllegalArgumentException("--token-env: environment variable " + tokenEnv + " is not set");
            }
            headers.put("Authorization", "Bearer " + token.trim());
        }
        DownloadRequest request = new DownloadRequest(
                url, config.home().modelsDir().resolve(fileName), sha256, headers, attempts, Duration.ofSeconds(60));
        DownloadResult result;
        try (ProgressBar bar = ProgressBar.onStderr("pull " + fileName, 1)) {
            result = new ModelDownloader().download(request, (done, total) -> bar.update(done, total));
        }
        ModelRegistry registry = Stores.registry(config);
        BaseModel model = registry.addBaseModel(result.path(), name, false);
        Output out = common.output();
        out.line((result.alreadyPresent() ? "already present: " : "downloaded: ") + result.path() + " ("
                + result.bytes() + " bytes, " + result.attempts() + " request(s)"
                + (result.resumed() ? ", resumed" : "")
                + ")");
        out.line(
                result.verified()
                        ? "sha256 " + result.sha256() + " verified"
                        : "sha256 " + result.sha256() + " NOT verified (pass --sha256 to check it)");
        out.line("registered " + model.id() + " (" + model.name() + ", " + model.architecture() + ")");
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("download", result);
        json.put("model", model);
        aliasOptions.moveIfRequested(registry, model.id(), "pulled from " + fileName, out, json);
        out.result(json);
        return 0;
    }
}
