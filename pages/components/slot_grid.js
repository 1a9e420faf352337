// The day's free times as buttons, drawn in the browser from one list.
//
// The server sends a changed list ONCE per change to every browser showing that doctor's day (a Socket.IO event,
// `clinic_slots`, addressed to all of them at once), instead of one element update per browser; the list also
// arrives as the `state` prop when the page is built, when the day changes and after a reconnect. Each list has a
// version: an older one never replaces a newer one, whichever way it came.
//
// Other people's changes pop up here, at most one popup per `words.window` seconds: the first at once, those that
// come within the window together at its end (the server's `Coalesced` does the same for its own popups). The words
// come from the server, so they can be translated per browser.
export default {
  template: `
    <div class="flex flex-wrap gap-2 w-full">
      <q-btn
        v-for="slot in shown"
        :key="slot[0]"
        :label="slot[1]"
        color="primary"
        no-caps
        :outline="slot[0] !== chosen"
        :unelevated="slot[0] === chosen"
        :aria-pressed="slot[0] === chosen ? 'true' : undefined"
        data-testid="slot"
        class="min-w-[5.5rem] font-mono"
        @click="pick(slot[0])"
      />
      <q-chip
        v-for="label in held"
        :key="'held-' + label"
        :label="said.held.replace('{time}', label)"
        dense
        outline
        color="grey-8"
        data-testid="slot-held"
        :title="said.held_title.replace('{time}', label)"
      />
    </div>
  `,
  // `state` and `words` come as JSON text: the server makes each once and shares it among the pages showing it.
  props: {
    state: String, // {key, version, slots: {kind of visit: [[start ISO, label], ...]}, held: [label, ...]}
    kind: String, // the kind of visit this person chose (none: the doctor's first)
    words: String, // {one, many, by, others, held, held_title, seconds, window}
    me: String, // this tab's mark: a change it made itself pops up nothing here
  },
  data() {
    return { key: null, version: -1, slots: {}, held: [], chosen: null, pending: [], quietUntil: 0, timer: null };
  },
  computed: {
    said() {
      return JSON.parse(this.words);
    },
    shown() {
      const kinds = Object.keys(this.slots);
      return this.slots[this.kind] || (this.kind ? [] : this.slots[kinds[0]] || []);
    },
  },
  watch: {
    kind() {
      this.chosen = null; // a pick does not carry over to another kind of visit (the server forgets it too)
    },
    state: {
      handler(state) {
        if (state) this.take(JSON.parse(state), false);
      },
      immediate: true,
    },
  },
  mounted() {
    this.listen();
  },
  unmounted() {
    clearTimeout(this.listening);
    clearTimeout(this.timer);
    if (window.socket) window.socket.off("clinic_slots", this.arrived);
  },
  methods: {
    listen() {
      // the page's socket is made after its elements are mounted
      if (window.socket) window.socket.on("clinic_slots", this.arrived);
      else this.listening = setTimeout(this.listen, 20);
    },
    arrived(message) {
      if (message.key === this.key) this.take(message, true);
    },
    take(state, live) {
      if (!state) return;
      if (state.key !== this.key) {
        this.key = state.key;
        this.version = -1;
        this.chosen = null;
      }
      if (state.version <= this.version) return;
      this.version = state.version;
      this.slots = state.slots;
      this.held = state.held || [];
      this.keepChoice();
      if (live && state.popup && state.popup.origin !== this.me) this.tell(state.popup);
    },
    keepChoice() {
      if (this.chosen !== null && !this.shown.some((slot) => slot[0] === this.chosen)) this.chosen = null;
    },
    pick(start) {
      this.chosen = start;
      this.$emit("pick", start);
    },
    clear() {
      this.chosen = null;
    },
    tell(change) {
      this.pending.push(change);
      if (this.timer !== null) return;
      const delay = this.quietUntil - Date.now();
      if (delay <= 0) this.flush();
      else this.timer = setTimeout(this.flush, delay);
    },
    flush() {
      this.timer = null;
      const changes = this.pending;
      this.pending = [];
      if (!changes.length) return;
      const words = this.said;
      let text = words.one;
      if (changes.length > 1) {
        const doctors = [...new Set(changes.filter((c) => c.by).map((c) => c.by))].sort();
        const others = doctors.length > 1 || changes.some((c) => !c.by);
        const by = doctors.length ? (others ? words.others : words.by).replace("{doctor}", doctors[0]) : "";
        text = words.many.replace("{count}", changes.length).replace("{by}", by);
      }
      Quasar.Notify.create({
        message: text,
        type: "info",
        position: "bottom",
        timeout: words.seconds * 1000,
        group: false,
        textColor: "white",
      });
      this.quietUntil = Date.now() + words.window * 1000;
    },
  },
};
