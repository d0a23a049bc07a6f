/**
 * The benchmarks, each read from its standard released files under a directory the user names, with the
 * prompts of the EMMA-500 paper's scripts or of lm-evaluation-harness. See {@link org.emma4j.model.eval.tasks.TaskRegistry}
 * for the list and each task's class comment for its file layout.
 */
package org.emma4j.model.eval.tasks;
