// Chancery reader: small progressive enhancements. Every page works without this file.
// - footnote marks open their note in place, under the line that carries them (Escape or the mark closes it);
// - "Copy" buttons appear beside citations when the clipboard is available.
(function () {
  'use strict';

  function closestBlock(el) {
    var node = el;
    while (node && node.parentElement) {
      var tag = node.tagName;
      if (tag === 'P' || tag === 'H1' || tag === 'LI' || tag === 'BLOCKQUOTE' || tag === 'TD') {
        return node;
      }
      node = node.parentElement;
    }
    return null;
  }

  function closeNote(link) {
    var id = link.getAttribute('aria-controls');
    var note = id && document.getElementById(id);
    if (note) {
      note.parentNode.removeChild(note);
    }
    link.setAttribute('aria-expanded', 'false');
  }

  function openNote(link) {
    var target = document.getElementById(link.getAttribute('data-footnote'));
    var block = closestBlock(link);
    if (!target || !block) {
      return false;
    }
    var body = target.querySelector('.fn-body');
    var note = document.createElement('aside');
    note.className = 'fn-inline';
    note.id = 'open-' + link.id;
    note.setAttribute('role', 'note');
    note.setAttribute('aria-label', 'Footnote ' + link.textContent);
    var label = document.createElement('span');
    label.className = 'fn-label';
    label.textContent = link.textContent;
    note.appendChild(label);
    note.appendChild(document.createTextNode(' '));
    var content = (body || target).cloneNode(true);
    // the copy keeps no ids (they would repeat) and no back-links (the note is already in place)
    Array.prototype.forEach.call(content.querySelectorAll('[id]'), function (n) { n.removeAttribute('id'); });
    Array.prototype.forEach.call(content.querySelectorAll('.fn-back'), function (n) { n.parentNode.removeChild(n); });
    content.removeAttribute('id');
    note.appendChild(content);
    var close = document.createElement('button');
    close.type = 'button';
    close.className = 'fn-close';
    close.textContent = 'Close note';
    close.addEventListener('click', function () {
      closeNote(link);
      link.focus();
    });
    note.appendChild(close);
    block.parentNode.insertBefore(note, block.nextSibling);
    link.setAttribute('aria-controls', note.id);
    link.setAttribute('aria-expanded', 'true');
    return true;
  }

  function initFootnotes() {
    var links = document.querySelectorAll('a.fn-link[data-footnote]');
    Array.prototype.forEach.call(links, function (link) {
      link.setAttribute('aria-expanded', 'false');
      link.addEventListener('click', function (event) {
        if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) {
          return;
        }
        if (link.getAttribute('aria-expanded') === 'true') {
          closeNote(link);
          event.preventDefault();
          return;
        }
        if (openNote(link)) {
          event.preventDefault();
        }
      });
    });
    document.addEventListener('keydown', function (event) {
      if (event.key !== 'Escape') {
        return;
      }
      Array.prototype.forEach.call(document.querySelectorAll('a.fn-link[aria-expanded="true"]'), function (link) {
        closeNote(link);
        link.focus();
      });
    });
  }

  function initCopyButtons() {
    if (!navigator.clipboard || !window.isSecureContext) {
      return;
    }
    Array.prototype.forEach.call(document.querySelectorAll('button.copy[data-copy]'), function (button) {
      var source = document.getElementById(button.getAttribute('data-copy'));
      if (!source) {
        return;
      }
      button.hidden = false;
      button.addEventListener('click', function () {
        navigator.clipboard.writeText(source.textContent.trim()).then(function () {
          button.textContent = 'Copied';
        }, function () {
          button.textContent = 'Copy failed';
        });
      });
    });
  }

  function init() {
    initFootnotes();
    initCopyButtons();
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
