// Pan and zoom for the floor plans of large halls (progressive enhancement: without script the
// plan scrolls in its frame and the booth list below it holds the same booths). Buttons zoom
// in, out and back to the whole hall; dragging pans; the wheel and a two-finger pinch zoom.
(() => {
  const MIN_SHARE = 0.08; // the closest view shows 8 % of the hall's width

  function setUp(frame) {
    const svg = frame.querySelector("svg.floor-plan");
    if (!svg) return;
    const whole = svg.viewBox.baseVal;
    const full = { x: whole.x, y: whole.y, w: whole.width, h: whole.height };
    let view = { ...full };

    function show() {
      svg.setAttribute("viewBox", `${view.x} ${view.y} ${view.w} ${view.h}`);
    }
    function clamp() {
      view.w = Math.min(full.w, Math.max(full.w * MIN_SHARE, view.w));
      view.h = (view.w * full.h) / full.w;
      view.x = Math.min(full.x + full.w - view.w, Math.max(full.x, view.x));
      view.y = Math.min(full.y + full.h - view.h, Math.max(full.y, view.y));
    }
    function zoom(factor, cx = view.x + view.w / 2, cy = view.y + view.h / 2) {
      const w = view.w / factor;
      const h = view.h / factor;
      view = { x: cx - ((cx - view.x) * w) / view.w, y: cy - ((cy - view.y) * h) / view.h, w, h };
      clamp();
      show();
    }
    function toPlan(clientX, clientY) {
      const box = svg.getBoundingClientRect();
      return {
        x: view.x + ((clientX - box.left) / box.width) * view.w,
        y: view.y + ((clientY - box.top) / box.height) * view.h,
      };
    }

    const controls = document.createElement("div");
    controls.className = "plan-controls";
    for (const [label, action] of [
      [frame.dataset.labelIn, () => zoom(1.6)],
      [frame.dataset.labelOut, () => zoom(1 / 1.6)],
      [frame.dataset.labelReset, () => { view = { ...full }; show(); }],
    ]) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-sm btn-outline-secondary";
      button.textContent = label;
      button.addEventListener("click", action);
      controls.appendChild(button);
    }
    frame.before(controls);
    frame.classList.add("plan-zoomable");

    frame.addEventListener("wheel", (event) => {
      event.preventDefault();
      const at = toPlan(event.clientX, event.clientY);
      zoom(event.deltaY < 0 ? 1.2 : 1 / 1.2, at.x, at.y);
    }, { passive: false });

    const pointers = new Map();
    let moved = false;
    let pinch = 0;
    frame.addEventListener("pointerdown", (event) => {
      pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
      moved = false;
    });
    frame.addEventListener("pointermove", (event) => {
      const last = pointers.get(event.pointerId);
      if (!last) return;
      const box = svg.getBoundingClientRect();
      if (pointers.size === 1) {
        const dx = event.clientX - last.x;
        const dy = event.clientY - last.y;
        if (Math.abs(dx) + Math.abs(dy) > 3) moved = true;
        view.x -= (dx / box.width) * view.w;
        view.y -= (dy / box.height) * view.h;
        clamp();
        show();
      }
      pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
      if (pointers.size === 2) {
        const [a, b] = [...pointers.values()];
        const distance = Math.hypot(a.x - b.x, a.y - b.y);
        if (pinch) {
          const at = toPlan((a.x + b.x) / 2, (a.y + b.y) / 2);
          zoom(distance / pinch, at.x, at.y);
        }
        pinch = distance;
        moved = true;
      }
    });
    const release = (event) => {
      pointers.delete(event.pointerId);
      if (pointers.size < 2) pinch = 0;
    };
    frame.addEventListener("pointerup", release);
    frame.addEventListener("pointercancel", release);
    // A drag that ends on a booth does not open it; a tap does.
    frame.addEventListener("click", (event) => {
      if (moved) event.preventDefault();
      moved = false;
    }, true);

    // A searched booth is brought into view.
    const found = svg.querySelector(".booth-found");
    if (found) {
      const box = found.getBBox();
      view = { x: box.x - full.w * 0.1, y: box.y - full.h * 0.1, w: full.w * 0.3, h: 0 };
      clamp();
      show();
    }
  }

  document.querySelectorAll("[data-floor-plan]").forEach(setUp);
})();
