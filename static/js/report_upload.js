// The report page's message upload: choosing or dropping a .eml/.msg sends the same "read" request
// the button sends without JavaScript; a suggested address fills the intended recipients in one click.
(() => {
  const zone = document.querySelector("[data-drop-zone]");
  const input = document.querySelector("[data-read-on-change]");
  const readButton = document.querySelector("[data-read-button]");
  if (!zone || !input || !readButton) return;

  const read = () => {
    if (input.files.length) readButton.click();
  };

  input.addEventListener("change", read);

  const activeClass = zone.dataset.dropActiveClass || "border-primary";
  const carriesFiles = (event) => Array.from(event.dataTransfer ? event.dataTransfer.types : []).includes("Files");
  ["dragenter", "dragover"].forEach((name) => zone.addEventListener(name, (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
    zone.classList.add(activeClass);
  }));
  zone.addEventListener("dragleave", () => zone.classList.remove(activeClass));
  zone.addEventListener("drop", (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    zone.classList.remove(activeClass);
    const transfer = new DataTransfer();
    transfer.items.add(event.dataTransfer.files[0]);
    input.files = transfer.files;
    read();
  });
})();

document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-fill-intended]");
  if (!button) return;
  const field = document.getElementById("id_intended_recipients");
  if (!field) return;
  const address = button.dataset.fillIntended;
  const present = field.value.split(/[,;\n]/).map((part) => part.trim().toLowerCase());
  if (!present.includes(address.toLowerCase())) {
    field.value = field.value.trim() ? `${field.value.trim()}, ${address}` : address;
  }
  field.dispatchEvent(new Event("input", { bubbles: true }));
  button.classList.add("active");
});
