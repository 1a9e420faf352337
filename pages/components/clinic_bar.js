// The header's row, drawn in the browser from a few values: the clinic's name, the signed-in person's navigation,
// the bell with their latest messages, their name and Sign out (from 768 px up), or a menu button holding the
// navigation and Sign out (below it, so a 390 px phone still gets one row).
//
// One element instead of about twenty-five NiceGUI elements per page: the navigation is plain links, the menus open
// and close in the browser, and only three things go back to the server: "read" (a message id, or "all"),
// "sign_out", and "language" (a code the switch offered). The words come from the server, translated per browser.
//
// Words, links, languages and the inbox come as JSON text: the words, links and languages are made once per
// language and shared by every page (a text costs an open page nothing of its own on the server).
export default {
  template: `
    <div class="row items-center justify-between gap-2 no-wrap w-full">
      <div class="row items-center gap-2 no-wrap shrink-0">
        <q-icon name="local_hospital" size="1.6rem" aria-hidden="true" />
        <a href="/" class="text-lg font-bold text-white no-underline">{{ said.clinic }}</a>
      </div>
      <div class="row items-center gap-1 no-wrap min-w-0">
      <select
        v-if="choices.length"
        :value="language"
        :aria-label="said.language"
        data-testid="language-select"
        class="language-select shrink-0 bg-transparent text-white text-sm rounded border border-white/60 px-1 py-0.5"
        @change="$emit('language', $event.target.value)"
      >
        <option v-for="choice in choices" :key="choice[0]" :value="choice[0]" class="text-black">{{ choice[1] }}</option>
      </select>
      <div v-if="name !== null" class="row items-center gap-1 no-wrap min-w-0">
        <q-btn
          v-for="link in navigation"
          :key="link[1]"
          :label="link[0]"
          :href="link[1]"
          flat dense no-caps color="white"
          class="shrink-0 max-md:hidden"
        />
        <q-btn
          v-if="box"
          flat round dense color="white" icon="notifications"
          :aria-label="bellName"
          data-testid="notification-bell"
        >
          <q-badge v-if="box.unread" floating rounded color="negative" data-testid="notification-count">
            {{ box.unread }}
          </q-badge>
          <q-menu class="max-w-sm" role="dialog" :aria-label="said.notifications">
            <div class="column p-3 gap-2 w-80" data-testid="notification-list">
              <div class="row w-full items-center justify-between">
                <div class="font-medium">{{ said.notifications }}</div>
                <q-btn
                  v-if="box.unread"
                  :label="said.mark_all"
                  flat dense no-caps size="sm"
                  data-testid="notifications-mark-read"
                  @click="$emit('read', 'all')"
                />
              </div>
              <div v-if="!box.messages.length" class="text-grey-8 text-sm">{{ said.nothing }}</div>
              <div
                v-for="message in box.messages"
                :key="message.id"
                class="column w-full gap-0 border-b border-gray-200 pb-1"
                data-testid="notification-item"
              >
                <div :class="message.read ? 'text-sm' : 'text-sm font-semibold'">{{ message.text }}</div>
                <div class="row w-full items-center justify-between">
                  <div class="text-xs text-grey-7">{{ message.when }}</div>
                  <q-btn
                    v-if="!message.read"
                    :label="said.mark_one"
                    flat dense no-caps size="sm"
                    @click="$emit('read', message.id)"
                  />
                </div>
              </div>
            </div>
          </q-menu>
        </q-btn>
        <div
          class="text-sm opacity-90 q-ml-sm truncate min-w-0 max-w-[16rem] max-md:hidden"
          :title="name"
          data-testid="signed-in-name"
        >{{ name }}</div>
        <q-btn
          :label="said.sign_out"
          flat dense no-caps color="white" icon="logout"
          class="shrink-0 max-md:hidden"
          @click="$emit('sign_out')"
        />
        <q-btn
          flat round dense color="white" icon="menu"
          :aria-label="said.menu"
          class="shrink-0 md:hidden"
          data-testid="navigation-menu"
        >
          <q-menu class="max-w-[80vw]">
            <div class="px-4 pt-3 pb-1 text-sm font-medium truncate" :title="name">{{ name }}</div>
            <q-item v-for="link in navigation" :key="link[1]" :href="link[1]" clickable role="menuitem">
              <q-item-section>{{ link[0] }}</q-item-section>
            </q-item>
            <q-item clickable v-close-popup role="menuitem" @click="$emit('sign_out')">
              <q-item-section>{{ said.sign_out }}</q-item-section>
            </q-item>
          </q-menu>
        </q-btn>
      </div>
      </div>
    </div>
  `,
  props: {
    words: String, // {clinic, notifications, unread, mark_all, mark_one, nothing, sign_out, menu, language}
    links: String, // [[label, path], ...] for the person's role
    name: String, // the signed-in person's full name; null on the sign-in pages
    inbox: String, // {unread, messages: [{id, text, when, read}, ...]}; null: no bell
    language: String, // the page's language
    languages: String, // [[code, name in itself], ...] offered by the clinic; empty: no switch
  },
  computed: {
    said() {
      return JSON.parse(this.words);
    },
    navigation() {
      return this.links ? JSON.parse(this.links) : [];
    },
    choices() {
      return this.languages ? JSON.parse(this.languages) : [];
    },
    box() {
      return this.inbox ? JSON.parse(this.inbox) : null;
    },
    bellName() {
      // holds the badge's number, as the eye sees it
      const unread = this.box ? this.box.unread : 0;
      return unread ? this.said.unread.replace("{count}", unread) : this.said.notifications;
    },
  },
};
