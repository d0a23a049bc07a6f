package org.emma4j.model.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.emma4j.kernels.Backend;
import org.emma4j.model.train.CheckpointStore;
import org.emma4j.model.train.TrainConfig;
import org.emma4j.model.train.TrainConfigReader;
import org.emma4j.model.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Trains (continual pre-training or from scratch) as a YAML config says; resumes a run from its checkpoints. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a Llama model on pre-tokenized data as a YAML config describes (see docs/training.md and configs/train-tiny.yaml).",
                "A new run starts from model.init_from (a Hugging Face model directory: weights only, fresh optimizer, step 0) or from a "
                        + "random model.shape. --resume continues a run from its newest complete checkpoint: weights, optimizer moments, "
                        + "step, schedule and data position, bit-exactly on the CPU with the same thread count.",
                "--threads N overrides the config's threads."})
final class TrainCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", description = "The training config (YAML). Optional with --resume DIR, which "
            + "then uses the config saved in the checkpoint.")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config field, e.g. --set optimizer.lr=1e-4 "
            + "--set max_steps=2000 (repeatable; the value is typed by the field).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--resume", arity = "0..1", fallbackValue = "", paramLabel = "DIR",
            description = "Continue a run: DIR is a checkpoint directory or a run's out_dir (its newest complete checkpoint); "
                    + "without DIR, the out_dir of --config.")
    String resume;

    @Mixin
    DeviceOption device;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        System.setProperty("java.awt.headless", "true");
        PrintWriter err = spec.commandLine().getErr();
        List<String> settings = new ArrayList<>(overrides);
        if (device.threads() != null) {
            // --threads is the config's threads field, so the saved config and the checkpoints record the count used.
            settings.add("threads=" + device.threads());
        }
        TrainConfig cfg;
        Path checkpoint = null;
        if (resume == null) {
            cfg = readConfig(settings);
        } else if (resume.isEmpty()) {
            cfg = readConfig(settings);
            checkpoint = CheckpointStore.resolveResume(cfg.outPath());
        } else {
            checkpoint = CheckpointStore.resolveResume(Path.of(resume));
            cfg = config != null ? readConfig(settings) : Trainer.savedConfig(checkpoint, settings);
        }
        // The backend comes before the trainer writes anything: --device cuda without a usable GPU leaves no files.
        try (Backend backend = device.create(err, cfg.resolvedThreads());
             Trainer trainer = checkpoint == null ? Trainer.start(cfg, backend, System.out)
                     : Trainer.resume(cfg, checkpoint, backend, System.out)) {
            trainer.run(Long.MAX_VALUE);
        }
        return 0;
    }

    private TrainConfig readConfig(List<String> settings) throws java.io.IOException {
        if (config == null) {
            throw new IllegalArgumentException("--config FILE is required (or --resume DIR to continue a run with its saved config)");
        }
        return TrainConfigReader.read(config, settings);
    }
}
