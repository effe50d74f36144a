// policyminer web: confirmations, and live progress of the background writer's jobs.
// Document text is untrusted: everything is written with textContent, never innerHTML.
"use strict";

document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = form.dataset ? form.dataset.confirm : null;
  if (question && !window.confirm(question)) {
    event.preventDefault();
    return;
  }
  const button = form.querySelector("button[type=submit]");
  if (button) {
    button.classList.add("busy");
  }
});

function text(tag, value, cls) {
  const el = document.createElement(tag);
  el.textContent = value;
  if (cls) el.className = cls;
  return el;
}

function jobItem(job, labels) {
  const li = document.createElement("li");
  li.className = "job " + job.state;
  li.dataset.job = String(job.id);
  li.appendChild(text("strong", job.label));
  li.appendChild(document.createTextNode(" — "));
  li.appendChild(text("span", labels[job.state] || job.state, "state"));
  if (job.state === "running") {
    const bar = document.createElement("progress");
    bar.max = Math.max(job.files_total, 1);
    bar.value = job.files_done;
    li.appendChild(bar);
    let detail = job.current + " " + job.stage;
    if (job.pages) detail += " " + job.page + "/" + job.pages;
    li.appendChild(text("span", detail, "detail"));
  }
  if (job.error) li.appendChild(text("div", job.error, "error"));
  if (job.lines.length) {
    const ul = document.createElement("ul");
    ul.className = "lines";
    for (const line of job.lines) ul.appendChild(text("li", line));
    li.appendChild(ul);
  }
  return li;
}

function watchJobs() {
  const section = document.getElementById("jobs");
  if (!section || section.dataset.busy !== "yes") return;
  const labels = JSON.parse(section.dataset.labels || "{}");
  const list = document.getElementById("job-list");
  const poll = async () => {
    let data;
    try {
      const response = await fetch("/api/jobs", { credentials: "same-origin" });
      data = await response.json();
    } catch (err) {
      setTimeout(poll, 2000);
      return;
    }
    list.replaceChildren(...data.jobs.map((job) => jobItem(job, labels)));
    const busy = data.jobs.some((j) => j.state === "queued" || j.state === "running");
    if (busy) {
      setTimeout(poll, 700);
    } else {
      // The document list changed: show it as the server now has it.
      window.location.reload();
    }
  };
  setTimeout(poll, 500);
}

document.addEventListener("DOMContentLoaded", watchJobs);
