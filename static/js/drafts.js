// Copy a draft's subject and text to the clipboard (no inline scripts: CSP-friendly).
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy-draft]");
  if (!button) return;
  const subject = document.getElementById("id_subject");
  const text = document.getElementById("id_text");
  const content = (subject ? subject.value + "\n\n" : "") + (text ? text.value : "");
  try {
    await navigator.clipboard.writeText(content);
  } catch (error) {
    text.select();
    document.execCommand("copy");
  }
  const label = button.dataset.copiedLabel || "Copied";
  const original = button.textContent;
  button.textContent = label;
  setTimeout(() => { button.textContent = original; }, 2000);
});
