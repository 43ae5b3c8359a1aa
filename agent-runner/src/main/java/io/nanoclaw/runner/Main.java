package io.nanoclaw.runner;

import io.nanoclaw.runner.config.ConfigLoader;
import io.nanoclaw.runner.config.RunnerConfig;
import io.nanoclaw.runner.config.RunnerEnvironment;
import io.nanoclaw.runner.log.Log;
import io.nanoclaw.runner.ncl.Ncl;
import io.nanoclaw.runner.provider.HttpClients;
import io.nanoclaw.runner.provider.ProxyWarmup;
import io.nanoclaw.runner.selftest.SelfTest;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * The container's agent runner. {@code --selftest} runs every hot path once without network (the image build
 * uses it to record a class-data archive); {@code --config FILE} overrides container.json.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("ncl")) {
            // The agents' ncl (the image's ncl wrapper): a short-lived client, nothing of the runner starts.
            System.exit(Ncl.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        if (Arrays.asList(args).contains("--selftest")) {
            System.exit(SelfTest.run());
        }
        int code = run(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    static int run(String[] args) {
        RunnerEnvironment env;
        try {
            env = RunnerEnvironment.from(System.getenv());
        } catch (IllegalArgumentException e) {
            Log.error("runner", "bad environment", e);
            return 1;
        }
        Path configFile = env.configFile();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                configFile = Path.of(args[++i]);
            } else {
                Log.warn("runner", "ignoring argument " + args[i]);
            }
        }
        RunnerConfig config = ConfigLoader.load(configFile);
        Object api = RunnerConfig.OPENAI.equals(config.provider()) ? env.openaiBaseUrl() : env.anthropicBaseUrl();
        Log.info("runner", "starting: provider=" + config.provider() + " model=" + config.model() + " group="
                + config.agentGroupId() + " zone=" + env.zone().getId() + " journal=" + env.journalMode()
                + " api=" + api);
        if (env.proxyToken() == null) {
            Log.warn("runner", "no NANOCLAW_PROXY_TOKEN: model requests will carry no API key");
        } else {
            ProxyWarmup.startInBackground(HttpClients::shared, env.anthropicBaseUrl().toString());
        }
        Runner runner;
        try {
            runner = Runner.open(env, config, RunnerOptions.defaults());
            int recovered = runner.recoverCrashedBatches();
            if (recovered > 0) {
                Log.info("runner", "released " + recovered + " message(s) left in processing by a previous run");
            }
        } catch (SQLException | RuntimeException e) {
            Log.error("runner", "cannot open the session databases", e);
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Log.info("runner", "stopping: finishing the write in flight");
            runner.shutdown();
            System.err.flush();
            // exit 0: a requested stop is not a failure (the JVM would otherwise report 143 for SIGTERM)
            Runtime.getRuntime().halt(0);
        }, "shutdown"));
        runner.loop().run();
        return 0;
    }
}
