// The handling unit's workspace: put one heading per suggestion of the proposal into the reply, so the
// unit answers point by point (逐条答复). Delegated, because htmx redraws the workspace after each action.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-outline]");
  if (!button) return;
  const area = document.querySelector(button.dataset.outlineTarget);
  if (!area) return;
  const current = area.value.replace(/\s+$/, "");
  area.value = current ? `${current}\n\n${button.dataset.outline}` : `${button.dataset.opening}\n\n${button.dataset.outline}`;
  area.focus();
});
