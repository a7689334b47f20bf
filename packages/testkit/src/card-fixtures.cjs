// The deploy-approval card that the core's and the hosts' card-builder tests send, as the builder's parts and as
// the JSON Zoom must receive for it, written out here once. The expected JSON is a literal, not
// made by the code under test, so a wrong layout in the core or a host fails against it.
// CommonJS so that the hosts' CommonJS TypeScript tests can import it statically as well as the
// ES-module acceptance scripts.
'use strict';

/**
 * `second`: the card's second field (label and value, shown short), so that a run that sends
 * the card more than once in different ways can tell which one arrived. Each call returns fresh
 * objects: a test may change its copy.
 */
function deployCard(o = {}) {
  const second = o.second ?? { label: 'Service', value: 'api' };
  return {
    /** What a card builder takes: the core's CardInput, in the hosts' words title … divider. */
    parts: {
      title: 'Deploy 2.4.1?',
      subtitle: 'api · production',
      text: 'Requested by **Blake**',
      fields: [
        { label: 'Version', value: '2.4.1', short: true },
        { label: second.label, value: second.value, short: true },
      ],
      buttons: [
        { text: 'Approve', value: 'approve', style: 'Primary' },
        { text: 'Reject', value: 'reject', style: 'Danger' },
      ],
      linkUrl: 'https://ci.example.com/builds/42',
      linkText: 'Build 42',
      divider: true,
    },
    /** The `content` Zoom must receive for those parts. */
    zoom: {
      head: { text: 'Deploy 2.4.1?', sub_head: { text: 'api · production' } },
      body: [
        { type: 'message', text: 'Requested by **Blake**', is_markdown_support: true },
        { type: 'divider' },
        {
          type: 'fields',
          items: [
            { key: 'Version', value: '2.4.1', short: true },
            { key: second.label, value: second.value, short: true },
          ],
        },
        { type: 'message', text: 'Build 42', link: 'https://ci.example.com/builds/42' },
        {
          type: 'actions',
          items: [
            { text: 'Approve', value: 'approve', style: 'Primary' },
            { text: 'Reject', value: 'reject', style: 'Danger' },
          ],
        },
      ],
    },
  };
}

/**
 * The Node-RED send node's card-builder settings (format cardBuilder) for `parts`: the node and
 * its acceptance flow name each part `card` + its name.
 */
function nodeRedCardBuilder(parts) {
  return {
    format: 'cardBuilder',
    cardTitle: parts.title,
    cardSubtitle: parts.subtitle,
    cardText: parts.text,
    cardFields: parts.fields,
    cardButtons: parts.buttons,
    cardLinkUrl: parts.linkUrl,
    cardLinkText: parts.linkText,
    cardDivider: parts.divider,
  };
}

module.exports = { deployCard, nodeRedCardBuilder };
