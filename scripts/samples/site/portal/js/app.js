// Marks the link of the page being read.
document.addEventListener("DOMContentLoaded", () => {
  for (const link of document.querySelectorAll("nav a")) {
    if (link.href === location.href) link.setAttribute("aria-current", "page");
  }
});
