package org.emma4j.model.eval.tasks;

/** Told how far a task has got, to show a progress bar. */
public interface Progress {
    /** A new stretch of {@code total} steps begins. */
    void begin(String label, int total);

    /** One step is done. */
    void advance();

    /** The stretch is over. */
    void end();

    Progress NONE = new Progress() {
        @Override
        public void begin(String label, int total) {
        }

        @Override
        public void advance() {
        }

        @Override
        public void end() {
        }
    };
}
