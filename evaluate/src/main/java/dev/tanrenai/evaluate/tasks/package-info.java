/**
 * lm-evaluation-harness tasks over local data files: {@link dev.tanrenai.evaluate.tasks.TaskFile}
 * reads a strict subset of lm-eval's task YAML, {@link dev.tanrenai.evaluate.tasks.TaskRunner} scores
 * it on a {@link dev.tanrenai.evaluate.score.LanguageModel} and
 * {@link dev.tanrenai.evaluate.tasks.TaskSuite} makes it a suite ({@code tasks/<name>}).
 * {@link dev.tanrenai.evaluate.tasks.BundledTasks} ships 50-document slices of ARC-Easy, PIQA,
 * HellaSwag and LAMBADA; {@code evaluate/tasks/shared/} has the same tasks over the full sets in
 * {@code ../shared/eval/}.
 *
 * <h2>Fields</h2>
 * {@code task}, {@code output_type} ({@code multiple_choice}, {@code loglikelihood},
 * {@code loglikelihood_rolling}, {@code generate_until}), {@code doc_to_text}, {@code doc_to_target},
 * {@code doc_to_choice} (a template yielding a list, a list field name, or a YAML list of templates),
 * {@code target_delimiter} (default {@code " "}), {@code fewshot_delimiter} (default {@code "\n\n"}),
 * {@code num_fewshot}, {@code description}, {@code generation_kwargs} ({@code until}, default
 * {@code [fewshot_delimiter]}; {@code max_gen_toks}, default 256; {@code do_sample: false};
 * {@code temperature: 0}), {@code metric_list} ({@code metric}, {@code aggregation} and
 * {@code higher_is_better} only restating lm-eval's, {@code ignore_case}, {@code ignore_punctuation},
 * {@code regexes_to_ignore}), {@code metadata.version} (a whole number). Read and ignored, as they do not
 * change the scores of a local file: {@code tag}, {@code task_alias}, {@code dataset_name}, the
 * {@code *_split} names, {@code should_decontaminate}, {@code doc_to_decontamination_query}. Anything
 * else is a {@link dev.tanrenai.evaluate.tasks.TaskFileException} naming the file, line and field.
 *
 * <h2>Local extensions</h2>
 * {@code dataset_path} is a local file relative to the task file (lm-eval: a Hugging Face dataset);
 * {@code dataset_format}: {@code jsonl} (default), {@code llamacpp_hellaswag} (llama.cpp's text,
 * converted with lm-eval's HellaSwag preprocessing), {@code piqa_labels} (with {@code labels_path});
 * {@code fewshot_path}: a JSONL file of few-shot documents (default: the scored documents, each
 * excluding itself); {@code limit}: score the first N documents.
 *
 * <h2>Templates</h2>
 * See {@link dev.tanrenai.evaluate.tasks.Template} and
 * {@link dev.tanrenai.evaluate.tasks.TemplateExpression}: fields, {@code .key}, {@code [i]},
 * slices, list literals, {@code ~}/{@code +}, filters {@code trim lower upper replace join}, methods
 * {@code split strip lower upper replace index}; no statements, conditionals or tests.
 *
 * <h2>Differences from lm-eval</h2>
 * <ul>
 *   <li>Few-shot examples are drawn by {@link java.util.SplittableRandom} per document (seed 1234 by
 *       default, as lm-eval's), so the format matches lm-eval's but the examples chosen do not.
 *   <li>{@code acc_norm} divides by the choice's length in UTF-16 units (Python: code points; equal
 *       outside the astral planes).
 *   <li>Standard errors: lm-eval's sample sd/√n for means; the delta method where lm-eval bootstraps
 *       (perplexities, bits per byte).
 *   <li>Regular expressions are Java's; HellaSwag from llama.cpp's text recovers {@code ctx_b} by a rule
 *       (see {@link dev.tanrenai.evaluate.tasks.TaskData}).
 *   <li>No {@code process_docs}, filters, repeats or multiple-input tasks.
 * </ul>
 */
package dev.tanrenai.evaluate.tasks;
