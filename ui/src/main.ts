// Entry point of the web UI: fonts and global styles, then the root component.
import "@fontsource/inter/400.css";
import "@fontsource/inter/600.css";
import "./app.css";
import { mount } from "svelte";
import App from "./App.svelte";

const target = document.getElementById("app");
if (!target) throw new Error("index.html has no #app element");
export default mount(App, { target });
