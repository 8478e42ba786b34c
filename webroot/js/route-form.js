// Pure helpers of the Routes page: the text a person types for targets and fallbacks, turned into the
// API's shape and back. "qwen:3, deepseek/deepseek-chat" → [{model: "qwen", weight: 3},
// {model: {provider: "deepseek", model: "deepseek-chat"}, weight: 1}].

/** One target from "name" or "name:weight"; a name with a slash is <provider>/<model>. */
export function parseTarget(text, withWeight = true) {
  const trimmed = text.trim();
  const colon = withWeight ? trimmed.lastIndexOf(':') : -1;
  let name = trimmed;
  let weight = 1;
  if (colon > 0 && /^\d+$/.test(trimmed.slice(colon + 1).trim())) {
    name = trimmed.slice(0, colon).trim();
    weight = Number(trimmed.slice(colon + 1).trim());
  }
  const slash = name.indexOf('/');
  const model = slash > 0 ? { provider: name.slice(0, slash), model: name.slice(slash + 1) } : name;
  return withWeight ? { model, weight } : { model };
}

/** A comma-separated list of targets; empty entries are dropped. */
export function parseTargets(text, withWeight = true) {
  return text.split(',').map((t) => t.trim()).filter(Boolean).map((t) => parseTarget(t, withWeight));
}

/** How a target reads in a list: "qwen ×3" or "deepseek/deepseek-chat". */
export function targetLabel(target, withWeight = true) {
  const name = typeof target.model === 'string' ? target.model : `${target.model.provider}/${target.model.model}`;
  return withWeight && target.weight !== undefined && target.weight !== 1 ? `${name} ×${target.weight}` : name;
}
