/** File helpers shared by the model formats: crash-safe writes, Hugging Face-style JSON, byte sizes. */
package org.emma4j.model.io;
