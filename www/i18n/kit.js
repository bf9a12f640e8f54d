// Strings of the shared front-end kit (player, engine host), English and
// Korean, merged into the one key space by index.js.
export default {
  en: {
    "player.busy": "working…",
    "net.preparing": "Preparing the network…",
    "kit.mainThread": "This browser cannot train in a background worker, so training runs between animation frames on the page: with a network this large each step takes a long time and the page may respond slowly.",
  },
  ko: {
    "player.busy": "계산 중…",
    "net.preparing": "신경망을 준비하는 중…",
    "kit.mainThread": "이 브라우저에서는 백그라운드 워커로 학습할 수 없어 페이지에서 애니메이션 프레임 사이에 학습합니다. 신경망이 이만큼 크면 스텝마다 시간이 오래 걸리고 페이지 반응이 느려질 수 있습니다.",
  },
};
