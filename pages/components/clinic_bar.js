// The header's row, drawn in the browser from a few values: the clinic's name, the signed-in person's navigation,
// the bell with their latest messages, their name and Sign out (from 768 px up), or a menu button holding the
// navigation and Sign out (below it, so a 390 px phone still gets one row).
//
// One element instead of about twenty-five NiceGUI elements per page: the navigation is plain links, the menus open
// and close in the browser, and only three things go back to the server: "read" (a message id, or "all"),
// "sign_out", and "language" (a code the switch offered). The words come from the server, translated per browser.
export default {
  template: `
    <div class="row items-center justify-between gap-2 no-wrap w-full">
      <div class="row items-center gap-2 no-wrap shrink-0">
        <q-icon name="local_hospital" size="1.6rem" aria-hidden="true" />
        <a href="/" class="text-lg font-bold text-white no-underline">{{ words.clinic }}</a>
      </div>
      <div class="row items-center gap-1 no-wrap min-w-0">
      <select
        v-if="languages && languages.length"
        :value="language"
        :aria-label="words.language"
        data-testid="language-select"
        class="language-select shrink-0 bg-transparent text-white text-sm rounded border border-white/60 px-1 py-0.5"
        @change="$emit('language', $event.target.value)"
      >
        <option v-for="choice in languages" :key="choice[0]" :value="choice[0]" class="text-black">{{ choice[1] }}</option>
      </select>
      <div v-if="name !== null" class="row items-center gap-1 no-wrap min-w-0">
        <q-btn
          v-for="link in links"
          :key="link[1]"
          :label="link[0]"
          :href="link[1]"
          flat dense no-caps color="white"
          class="shrink-0 max-md:hidden"
        />
        <q-btn
          v-if="inbox"
          flat round dense color="white" icon="notifications"
          :aria-label="bellName"
          data-testid="notification-bell"
        >
          <q-badge v-if="inbox.unread" floating rounded color="negative" data-testid="notification-count">
            {{ inbox.unread }}
          </q-badge>
          <q-menu class="max-w-sm" role="dialog" :aria-label="words.notifications">
            <div class="column p-3 gap-2 w-80" data-testid="notification-list">
              <div class="row w-full items-center justify-between">
                <div class="font-medium">{{ words.notifications }}</div>
                <q-btn
                  v-if="inbox.unread"
                  :label="words.mark_all"
                  flat dense no-caps size="sm"
                  data-testid="notifications-mark-read"
                  @click="$emit('read', 'all')"
                />
              </div>
              <div v-if="!inbox.messages.length" class="text-grey-8 text-sm">{{ words.nothing }}</div>
              <div
                v-for="message in inbox.messages"
                :key="message.id"
                class="column w-full gap-0 border-b border-gray-200 pb-1"
                data-testid="notification-item"
              >
                <div :class="message.read ? 'text-sm' : 'text-sm font-semibold'">{{ message.text }}</div>
                <div class="row w-full items-center justify-between">
                  <div class="text-xs text-grey-7">{{ message.when }}</div>
                  <q-btn
                    v-if="!message.read"
                    :label="words.mark_one"
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
          :label="words.sign_out"
          flat dense no-caps color="white" icon="logout"
          class="shrink-0 max-md:hidden"
          @click="$emit('sign_out')"
        />
        <q-btn
          flat round dense color="white" icon="menu"
          :aria-label="words.menu"
          class="shrink-0 md:hidden"
          data-testid="navigation-menu"
        >
          <q-menu class="max-w-[80vw]">
            <div class="px-4 pt-3 pb-1 text-sm font-medium truncate" :title="name">{{ name }}</div>
            <q-item v-for="link in links" :key="link[1]" :href="link[1]" clickable role="menuitem">
              <q-item-section>{{ link[0] }}</q-item-section>
            </q-item>
            <q-item clickable v-close-popup role="menuitem" @click="$emit('sign_out')">
              <q-item-section>{{ words.sign_out }}</q-item-section>
            </q-item>
          </q-menu>
        </q-btn>
      </div>
      </div>
    </div>
  `,
  props: {
    words: Object, // {clinic, notifications, unread, mark_all, mark_one, nothing, sign_out, menu}
    links: Array, // [[label, path], ...] for the person's role
    name: String, // the signed-in person's full name; null on the sign-in pages
    inbox: Object, // {unread, messages: [{id, text, when, read}, ...]}; null until loaded
    language: String, // the page's language
    languages: Array, // [[code, name in itself], ...] offered by the clinic; empty: no switch
  },
  computed: {
    bellName() {
      // holds the badge's number, as the eye sees it
      const unread = this.inbox ? this.inbox.unread : 0;
      return unread ? this.words.unread.replace("{count}", unread) : this.words.notifications;
    },
  },
};
