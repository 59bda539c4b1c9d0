// The "Before you send" page: choosing a mail system shows its delayed/undo-send steps without a round trip
// (without JavaScript, the next check shows them).
(() => {
  const select = document.getElementById("id_mail_system");
  const steps = document.querySelectorAll("[data-delay-system]");
  if (!select || !steps.length) return;
  select.addEventListener("change", () => {
    steps.forEach((group) => { group.hidden = group.dataset.delaySystem !== select.value; });
  });
})();
